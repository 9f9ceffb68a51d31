import { builder } from '../builder';
import './refs';
import './project';
import './extensions';
import './summary';
import './mutations';
import './analysis';

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@extends'],
});
