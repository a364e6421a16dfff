import { create } from 'zustand';
import { onTransportHealth } from '../api/transport.ts';

/** Whether the last call reached the core; drives the connection banner. */
interface ConnectionState {
  failure: string | null;
}

export const useConnection = create<ConnectionState>(() => ({ failure: null }));

onTransportHealth((error) => {
  const failure = error ? error.message : null;
  if (useConnection.getState().failure !== failure) useConnection.setState({ failure });
});
