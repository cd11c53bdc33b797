import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, useRef } from 'react';
import { BrowserRouter } from 'react-router';
import { isApiError } from '../api/client.ts';
import { ToastProvider } from '../components/toast.tsx';
import { useI18n } from '../i18n/index.ts';
import { AppRoutes } from './routes.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry (missing, forbidden, bad query); network blips may.
      retry: (failureCount, error) =>
        !(isApiError(error) && error.status >= 400 && error.status < 500) && failureCount < 2,
      staleTime: 30_000,
      refetchOnWindowFocus: false,
    },
  },
});

/** Providers in a fixed order: Ant Design locale and theme → query cache → router. */
export function App() {
  const { language } = useI18n();
  const firstRender = useRef(true);
  useEffect(() => {
    dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    // Titles, problem details and labels from the server follow Accept-Language: refetch them.
    void queryClient.invalidateQueries();
  }, [language]);

  return (
    <ConfigProvider
      locale={language === 'en' ? enUS : zhCN}
      // "登录", not "登 录": labels and tests read the same text as the catalogue.
      button={{ autoInsertSpace: false }}
      theme={{
        token: {
          colorPrimary: '#0f4c81',
          colorLink: '#0f4c81',
          // WCAG 2.1 AA (4.5:1) on white and on the page's #f5f7fa: Ant Design's secondary,
          // description and placeholder greys (0.45 and 0.25 alpha) fall to 3.3:1 and 1.8:1.
          colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
          colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
          colorTextDescription: 'rgba(0, 0, 0, 0.65)',
          colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
          // Danger buttons and error text: #ff4d4f is 3.3:1 on white, #cf1322 is 5.6:1.
          colorError: '#cf1322',
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', Roboto, 'Helvetica Neue', Arial, sans-serif",
        },
      }}
    >
      <ToastProvider>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </QueryClientProvider>
      </ToastProvider>
    </ConfigProvider>
  );
}
