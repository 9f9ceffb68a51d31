import { subgraphSchemaOptions } from '@regiograph/shared';
import { builder } from '../builder';
import './analysis';
import './enums';
import './indicator';
import './observation';
import './region';
import './table';
import './changes';

export const schema = builder.toSubGraphSchema(subgraphSchemaOptions(['@key', '@shareable', '@external', '@extends', '@requires']));
