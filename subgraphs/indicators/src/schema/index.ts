import { builder } from '../builder';
import './analysis';
import './enums';
import './indicator';
import './observation';
import './region';
import './table';

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@extends', '@requires'],
});
