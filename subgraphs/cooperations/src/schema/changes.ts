import { defineChangeFeed } from '@regiograph/subgraph-kit';
import { builder } from '../builder';
import { COOPERATION_FEED } from '../change-feed';

defineChangeFeed(builder, {
  feed: COOPERATION_FEED,
  prefix: 'Cooperation',
  what: 'cooperations and their memberships',
  entityTypes: {
    COOPERATION: 'A cooperation (key: its id, e.g. "C-017").',
    MEMBERSHIP: 'A region’s membership in a cooperation (key: e.g. "C-017.3"); its cooperation changes with it.',
  },
  feedField: 'cooperationChanges',
  auditField: 'cooperationAuditTrail',
});
