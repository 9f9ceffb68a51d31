import { defineChangeFeed } from '@regiograph/subgraph-kit';
import { builder } from '../builder';
import { PROJECT_FEED } from '../change-feed';

defineChangeFeed(builder, {
  feed: PROJECT_FEED,
  prefix: 'Project',
  what: 'projects and their funding',
  entityTypes: {
    PROJECT: 'A project with its regions, findings, documents and indicators (key: the project id).',
    FUNDING: 'A funding commitment (key: the funding id); its project changes with it.',
  },
  feedField: 'projectChanges',
  auditField: 'projectAuditTrail',
});
