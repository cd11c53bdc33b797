import { Card, Descriptions, Empty, List, Space, Typography } from 'antd';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { formatDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { EthicsStatusTag } from './ethics-tags.tsx';
import { usePublicOpinions } from './hooks.ts';

/** The committee's published opinions: the public summary, conditions and tally; no member names. */
export function PublicOpinionsPage() {
  const { t, language, pick } = useI18n();
  const opinions = usePublicOpinions();
  return (
    <>
      <PageHeading title={t('ethics.publicTitle')} subtitle={t('ethics.publicSubtitle')} />
      {opinions.data === undefined ? (
        <QueryState isLoading={opinions.isLoading} error={opinions.error} onRetry={() => void opinions.refetch()} />
      ) : opinions.data.items.length === 0 ? (
        <Empty description={t('ethics.noOpinions')} />
      ) : (
        <List
          data-testid="public-opinions"
          dataSource={opinions.data.items}
          renderItem={(item) => (
            <Card style={{ marginBottom: 16 }} data-testid="public-opinion">
              <Space direction="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
                    {pick(item.subjectName, item.subjectNameEn)}
                  </Typography.Title>
                  <EthicsStatusTag status="decided" outcome={item.outcome} />
                </Space>
                <Descriptions column={1} size="small">
                  <Descriptions.Item label={t('ethics.subjectType')}>
                    {t(`ethics.subjectTypes.${item.subjectType}`)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('ethics.provider')}>
                    {pick(item.provider.name, item.provider.nameEn)} ({item.provider.uscc})
                  </Descriptions.Item>
                  <Descriptions.Item label={t('ethics.decidedAt')}>
                    {formatDate(item.decidedAt, language)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('ethics.tally')}>
                    {t('ethics.tallyText', {
                      favourable: item.votes.favourable,
                      withConditions: item.votes.favourableWithConditions,
                      unfavourable: item.votes.unfavourable,
                      abstain: item.votes.abstain,
                    })}
                  </Descriptions.Item>
                </Descriptions>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="opinion-summary">
                  {item.publicSummary}
                </Typography.Paragraph>
                {item.conditions.length > 0 && (
                  <>
                    <Typography.Text strong>{t('ethics.conditions')}</Typography.Text>
                    <ol>
                      {item.conditions.map((condition, i) => (
                        <li key={i}>{condition}</li>
                      ))}
                    </ol>
                  </>
                )}
              </Space>
            </Card>
          )}
        />
      )}
    </>
  );
}
