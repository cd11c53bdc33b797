import { Alert } from 'antd';
import { isApiError, type FieldProblem } from '../api/client.ts';
import { useI18n } from '../i18n/index.ts';

/**
 * Shows an API problem: its title, detail, and the field problems no form field took. A field
 * problem is shown by its message alone — the server writes it in the user's language; the JSON
 * pointer behind it is for programs, never shown (issue #19 item 10).
 */
export function ErrorAlert({
  error,
  extra,
  style,
}: {
  error: unknown;
  extra?: FieldProblem[];
  style?: React.CSSProperties;
}) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  let message = t('error.generic');
  let description: React.ReactNode = null;
  if (isApiError(error)) {
    if (error.status === 0) {
      message = t('error.network');
    } else {
      message = error.title;
      const rest = extra ?? [];
      description = (
        <>
          {error.detail !== error.title ? <div>{error.detail}</div> : null}
          {rest.length > 0 ? (
            <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
              {rest.map((problem) => (
                <li key={`${problem.pointer}:${problem.message}`}>{problem.message}</li>
              ))}
            </ul>
          ) : null}
          {error.retryAfter !== undefined ? <div>{t('error.retryAfter', { seconds: error.retryAfter })}</div> : null}
        </>
      );
    }
  } else if (error instanceof Error && error.message !== '') {
    description = error.message;
  }
  return <Alert type="error" showIcon role="alert" title={message} description={description} style={style} />;
}
