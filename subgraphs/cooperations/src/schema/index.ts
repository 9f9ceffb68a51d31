import { builder } from '../builder';
import './common';
import './cooperation';
import './region';
import './strategy';
import './network';
import './mutations';

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@extends'],
});
