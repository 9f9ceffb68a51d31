import { defineChangeFeed } from '@regiograph/subgraph-kit';
import { builder } from '../builder';
import { INDICATOR_FEED } from '../change-feed';

defineChangeFeed(builder, {
  feed: INDICATOR_FEED,
  prefix: 'Indicator',
  what: 'indicators and their values',
  entityTypes: {
    INDICATOR: 'An indicator whose definition or values an import wrote (key: the indicator code); re-read its values.',
  },
  feedField: 'indicatorChanges',
});
