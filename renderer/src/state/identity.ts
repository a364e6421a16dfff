import { create } from 'zustand';
import type { IdentityView } from '../../../shared/contract/index.ts';
import { call } from '../api/client.ts';

interface IdentityState {
  status: 'loading' | 'ready' | 'error';
  identity: IdentityView | null;
  error: unknown;
  load: () => Promise<void>;
  set: (identity: IdentityView) => void;
}

export const useIdentity = create<IdentityState>((set) => ({
  status: 'loading',
  identity: null,
  error: null,
  load: async () => {
    set({ status: 'loading', error: null });
    try {
      const identity = await call('identity.get', {});
      set({ status: 'ready', identity });
    } catch (error) {
      set({ status: 'error', error });
    }
  },
  set: (identity) => set({ identity, status: 'ready' }),
}));
