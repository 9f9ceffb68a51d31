import type { ApolloServerPlugin } from '@apollo/server';
import { DATA_VERSION_KEY } from '@regiograph/shared';
import type { GatewayContext } from '../context';
import { mayHaveWritten } from '../response-cache';
import type { SharedStore } from '../store';

/**
 * Moves the shared data version (DATA_VERSION_KEY) after every mutation that may have written
 * (mayHaveWritten), on every gateway: the response cache keys its answers by that version, and
 * demand control reads the data's years and bounds again when it moves. One bump per write, whichever
 * of the two needs it; a gateway with neither installs no plugin. A store that is down loses the bump
 * (as it loses the cache): the write itself has committed and is answered.
 */
export function dataVersionPlugin(options: { store: SharedStore }): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operation }) {
          if (operation?.operation !== 'mutation' || response.body.kind !== 'single') return;
          if (mayHaveWritten(response.body.singleResult)) await options.store.increment(DATA_VERSION_KEY).catch(() => undefined);
        },
      };
    },
  };
}
