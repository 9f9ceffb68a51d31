import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Marks every answer `public, max-age=300`, as the gateway's response cache marks public reference
 * data: what a server's HTTP caching (ETag, 304, Vary) is tested against.
 */
export function publicAnswersPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'public, max-age=300');
        },
      };
    },
  };
}
