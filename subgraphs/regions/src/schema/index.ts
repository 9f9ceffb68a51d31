import { subgraphSchemaOptions } from '@regiograph/shared';
import { builder } from '../builder';
import './data-source';
import './region';

export const schema = builder.toSubGraphSchema(subgraphSchemaOptions(['@key', '@shareable']));
