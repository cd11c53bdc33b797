import { Alert, Button, Card, Descriptions, Form, Input, Radio, Space, Table, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { ETHICS_VOTES, type EthicsCase, type EthicsVote } from '../../api/types.ts';
import { DueDate } from '../../components/due-date.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { useToast } from '../../components/toast.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { hasAnyRole, useMe } from '../identity/hooks.ts';
import { EthicsStatusTag } from './ethics-tags.tsx';
import { useDeclare, useEthicsCase, usePublishOpinion, useVote } from './hooks.ts';

function DeclarationForm({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const declare = useDeclare(caseId);
  return (
    <Card title={t('ethics.declareTitle')} data-testid="declaration-form">
      <Typography.Paragraph type="secondary">{t('ethics.declareHelp')}</Typography.Paragraph>
      <Form
        layout="vertical"
        onFinish={(values: { conflictOfInterest: boolean; statement: string }) =>
          declare.mutate(values, { onSuccess: () => void toast.success(t('ethics.declared')) })
        }
      >
        <Form.Item name="conflictOfInterest" label={t('ethics.conflictQuestion')} rules={[{ required: true }]}>
          <Radio.Group>
            <Radio value={false} data-testid="conflict-no">
              {t('ethics.noConflict')}
            </Radio>
            <Radio value={true} data-testid="conflict-yes">
              {t('ethics.hasConflict')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="statement" label={t('ethics.statement')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={10000} data-testid="declaration-statement" />
        </Form.Item>
        <ErrorAlert error={declare.error} style={{ marginBottom: 12 }} />
        <Button type="primary" htmlType="submit" loading={declare.isPending} data-testid="declare-submit">
          {t('ethics.declareSubmit')}
        </Button>
      </Form>
    </Card>
  );
}

function Ballot({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const vote = useVote(caseId);
  return (
    <Card title={t('ethics.ballotTitle')} data-testid="ballot">
      <Typography.Paragraph type="secondary">{t('ethics.ballotHelp')}</Typography.Paragraph>
      <Form
        layout="vertical"
        initialValues={{ comment: '' }}
        onFinish={(values: { vote: EthicsVote; comment: string }) =>
          vote.mutate(values, { onSuccess: () => void toast.success(t('ethics.voted')) })
        }
      >
        <Form.Item name="vote" label={t('ethics.yourVote')} rules={[{ required: true }]}>
          <Radio.Group>
            <Space direction="vertical">
              {ETHICS_VOTES.map((value) => (
                <Radio key={value} value={value} data-testid={`vote-${value}`}>
                  {t(`ethics.vote.${value}`)}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="comment" label={t('ethics.comment')}>
          <Input.TextArea rows={3} maxLength={10000} data-testid="vote-comment" />
        </Form.Item>
        <ErrorAlert error={vote.error} style={{ marginBottom: 12 }} />
        <Button type="primary" htmlType="submit" loading={vote.isPending} data-testid="vote-submit">
          {t('ethics.voteSubmit')}
        </Button>
      </Form>
    </Card>
  );
}

function OpinionForm({ ethicsCase }: { ethicsCase: EthicsCase }) {
  const { t } = useI18n();
  const toast = useToast();
  const publish = usePublishOpinion(ethicsCase.id);
  const required = Math.max(3, Math.ceil((2 * ethicsCase.eligibleMembers) / 3));
  return (
    <Card title={t('ethics.opinionTitle')} data-testid="opinion-form">
      <Typography.Paragraph data-testid="tally-progress">
        {t('ethics.tallyProgress', {
          cast: ethicsCase.votesCast,
          required,
          eligible: ethicsCase.eligibleMembers,
        })}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('ethics.opinionHelp')}</Typography.Paragraph>
      <Form
        layout="vertical"
        onFinish={(values: { publicSummary: string; conditions?: string }) => {
          const conditions = (values.conditions ?? '')
            .split('\n')
            .map((line) => line.trim())
            .filter((line) => line !== '');
          publish.mutate(
            { publicSummary: values.publicSummary, ...(conditions.length > 0 ? { conditions } : {}) },
            { onSuccess: () => void toast.success(t('ethics.published')) },
          );
        }}
      >
        <Form.Item
          name="publicSummary"
          label={t('ethics.publicSummary')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea rows={5} maxLength={20000} data-testid="opinion-summary-input" />
        </Form.Item>
        <Form.Item name="conditions" label={t('ethics.conditionsInput')}>
          <Input.TextArea rows={3} data-testid="opinion-conditions-input" />
        </Form.Item>
        <ErrorAlert error={publish.error} style={{ marginBottom: 12 }} />
        <Button type="primary" htmlType="submit" loading={publish.isPending} data-testid="opinion-submit">
          {t('ethics.publish')}
        </Button>
      </Form>
    </Card>
  );
}

/** A case: the subject (its documents read-only on the filing page), declaration, ballot, tally and opinion. */
export function EthicsCasePage() {
  const { id } = useParams();
  const { t, language, pick } = useI18n();
  const { data: user } = useMe();
  const query = useEthicsCase(id);
  const c = query.data;
  if (c === undefined) {
    return <QueryState isLoading={query.isLoading} error={query.error} onRetry={() => void query.refetch()} />;
  }
  const open = c.status === 'open';
  const secretary = hasAnyRole(user, ['ethics_secretary']);
  return (
    <>
      <PageHeading
        title={pick(c.subject.name, c.subject.nameEn)}
        subtitle={<EthicsStatusTag status={c.status} outcome={c.outcome} />}
      />
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card title={t('ethics.caseTitle')}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('ethics.subjectType')}>
              {c.subjectType === 'filing' ? (
                <Link to={`/filings/${c.subjectId}`} data-testid="subject-link">
                  {t('ethics.subjectTypes.filing')} · {t('ethics.viewDocuments')}
                </Link>
              ) : (
                t('ethics.subjectTypes.trial')
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('ethics.reason')}>{c.reason}</Descriptions.Item>
            <Descriptions.Item label={t('ethics.referral')}>{t(`ethics.referrals.${c.referral}`)}</Descriptions.Item>
            <Descriptions.Item label={t('ethics.referredAt')}>
              {formatDateTime(c.referredAt, language)}
            </Descriptions.Item>
            <Descriptions.Item label={t('ethics.dueDate')}>
              <DueDate date={c.dueDate} provisional={c.dueDateProvisional} explain="inline" />
            </Descriptions.Item>
            <Descriptions.Item label={t('ethics.votesCast')}>
              {c.votesCast} / {c.eligibleMembers}
            </Descriptions.Item>
          </Descriptions>
        </Card>

        {c.me !== null && open && !c.me.declared && <DeclarationForm caseId={c.id} />}
        {c.me !== null && c.me.conflictOfInterest === true && (
          <Alert type="info" showIcon message={t('ethics.conflictDeclared')} data-testid="conflict-declared" />
        )}
        {c.me !== null && open && c.me.declared && c.me.conflictOfInterest === false && !c.me.voted && (
          <Ballot caseId={c.id} />
        )}
        {c.me?.vote != null && (
          <Alert
            type="success"
            showIcon
            message={t('ethics.youVoted', { vote: t(`ethics.vote.${c.me.vote}`) })}
            data-testid="my-vote"
          />
        )}

        {c.voters !== null && open && (
          <Card title={t('ethics.votersTitle')} data-testid="voters">
            <Typography.Paragraph type="secondary">{t('ethics.votersHelp')}</Typography.Paragraph>
            <ul>
              {c.voters.map((v) => (
                <li key={v.memberId}>
                  {v.name} · {formatDateTime(v.votedAt, language)}
                </li>
              ))}
            </ul>
          </Card>
        )}
        {secretary && open && <OpinionForm ethicsCase={c} />}

        {!open && c.votes !== null && (
          <Card title={t('ethics.opinion')} data-testid="opinion">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('ethics.outcomeLabel')}>
                <EthicsStatusTag status={c.status} outcome={c.outcome} />
              </Descriptions.Item>
              <Descriptions.Item label={t('ethics.tally')}>
                {t('ethics.tallyText', {
                  favourable: c.votes.favourable,
                  withConditions: c.votes.favourableWithConditions,
                  unfavourable: c.votes.unfavourable,
                  abstain: c.votes.abstain,
                })}
              </Descriptions.Item>
              <Descriptions.Item label={t('ethics.decidedAt')}>
                {formatDateTime(c.decidedAt, language)}
              </Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{c.publicSummary}</Typography.Paragraph>
            {(c.conditions ?? []).length > 0 && (
              <ol>
                {(c.conditions ?? []).map((condition, i) => (
                  <li key={i}>{condition}</li>
                ))}
              </ol>
            )}
            {c.ballots !== null && (
              <Table
                rowKey="memberId"
                size="small"
                pagination={false}
                dataSource={c.ballots}
                columns={[
                  { title: t('ethics.member'), dataIndex: 'name' },
                  { title: t('ethics.yourVote'), render: (_, b) => t(`ethics.vote.${b.vote}`) },
                  { title: t('ethics.comment'), dataIndex: 'comment' },
                ]}
              />
            )}
          </Card>
        )}
      </Space>
    </>
  );
}
