import { createContext, useContext, useLayoutEffect, useState, type ReactNode } from 'react';
import { AssumptionsEscalationsPanel } from './AssumptionsEscalationsPanel.tsx';

/**
 * Where the assumptions and escalations panel goes. A task view that has a side column renders
 * <TaskSideSlot /> in it; for a view that does not, the task screen shows the panel below the
 * view instead, so every task kind has the panel without each view having to know about it.
 */
const SlotContext = createContext<(() => () => void) | null>(null);

export function TaskSideSlotHost({ children }: { children: ReactNode }) {
  const [hosted, setHosted] = useState(0);
  const [register] = useState(() => () => {
    setHosted((n) => n + 1);
    return () => setHosted((n) => n - 1);
  });
  return (
    <SlotContext.Provider value={register}>
      {children}
      {hosted === 0 ? (
        <div className="notes-below">
          <AssumptionsEscalationsPanel />
        </div>
      ) : null}
    </SlotContext.Provider>
  );
}

export function TaskSideSlot() {
  const register = useContext(SlotContext);
  useLayoutEffect(() => register?.(), [register]);
  return <AssumptionsEscalationsPanel />;
}
