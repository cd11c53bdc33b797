import { message } from 'antd';
import { createContext, useContext } from 'react';

/**
 * Toasts through `message.useMessage` (themed and localised by ConfigProvider). Used instead
 * of Ant Design's `<App>` so the public bundle does not carry its modal and notification code.
 */
type MessageApi = ReturnType<typeof message.useMessage>[0];

const ToastContext = createContext<MessageApi | null>(null);

export function ToastProvider({ children }: { children: React.ReactNode }) {
  const [api, holder] = message.useMessage();
  return (
    <ToastContext.Provider value={api}>
      {holder}
      {children}
    </ToastContext.Provider>
  );
}

export function useToast(): MessageApi {
  const api = useContext(ToastContext);
  if (api === null) throw new Error('useToast needs a <ToastProvider> above it');
  return api;
}
