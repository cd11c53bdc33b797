import { Button, Modal, Typography } from 'antd';
import { useI18n } from '../i18n/index.ts';

/**
 * Asks before a permanent action (a decision, a public disclosure, a withdrawal) and says what
 * cannot be undone. The buttons carry test ids (`<testId>-ok`, `<testId>-cancel`).
 */
export function ConfirmDialog({
  open,
  title,
  body,
  okText,
  danger = false,
  loading = false,
  onOk,
  onCancel,
  testId,
}: {
  open: boolean;
  title: string;
  body: string;
  okText: string;
  danger?: boolean;
  loading?: boolean;
  onOk: () => void;
  onCancel: () => void;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onCancel} data-testid={`${testId}-cancel`}>
          {t('action.cancel')}
        </Button>,
        <Button key="ok" type="primary" danger={danger} loading={loading} onClick={onOk} data-testid={`${testId}-ok`}>
          {okText}
        </Button>,
      ]}
    >
      <Typography.Paragraph>{body}</Typography.Paragraph>
    </Modal>
  );
}
