import { subgraphSchemaOptions } from '@regiograph/shared';
import { builder } from '../builder';
import './refs';
import './project';
import './extensions';
import './summary';
import './mutations';
import './analysis';
import './changes';

export const schema = builder.toSubGraphSchema(subgraphSchemaOptions(['@key', '@shareable', '@extends']));
