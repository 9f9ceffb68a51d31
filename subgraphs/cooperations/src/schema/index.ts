import { subgraphSchemaOptions } from '@regiograph/shared';
import { builder } from '../builder';
import './common';
import './cooperation';
import './region';
import './strategy';
import './network';
import './mutations';
import './changes';

export const schema = builder.toSubGraphSchema(subgraphSchemaOptions(['@key', '@shareable', '@external', '@extends']));
