import { SystemClock } from '../../shared/clock';
import { describeEventStoreContract } from '../event-store.contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/**
 * The shared contract against a real KurrentDB (25.1+), when KURRENTDB_CONNECTION_STRING points
 * at one, e.g. `kurrentdb://127.0.0.1:2113?tls=false`. Without it the suite is skipped, and
 * test/global-setup.ts says so in one line at the top of the run. Each test writes to streams
 * with a fresh prefix, so the server may hold other data.
 */
const url = process.env.KURRENTDB_CONNECTION_STRING;
const suite = url ? describe : describe.skip;

suite('KurrentDB (KURRENTDB_CONNECTION_STRING)', () => {
  describeEventStoreContract('KurrentDB', async () => {
    const store = new KurrentDbEventStore({ connectionString: url, clock: new SystemClock() });
    return {
      store,
      gapFreePositions: false,
      // KurrentDB has no operation that changes a stored event: there is nothing to attempt.
      tamperUpdate: () =>
        Promise.reject(new Error('refused: KurrentDB has no update operation; a stored event cannot be changed')),
      // A stream delete is not attempted: on a server without access control (the development
      // setup) it would succeed, and with access control an administrator can still delete or
      // tombstone a stream. The adapter never deletes; a deletion is detected by `ledger verify`
      // (a broken chain or a missing stream), not prevented. See the README's Limits.
      tamperDelete: () =>
        Promise.reject(
          new Error(
            'refused by this harness, not by KurrentDB: the adapter has no delete, but an administrator ' +
              'of the server can delete streams; deletions are detected by verification, not prevented',
          ),
        ),
      dispose: () => store.close(),
    };
  });
});
