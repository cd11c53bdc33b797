import { Alert, Button, Card, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { useI18n } from '../../i18n/index.ts';
import { fetchEntry, fetchInclusionProof, useCheckpoint, usePublicKey } from './hooks.ts';
import {
  base64ToBytes,
  canVerifyInBrowser,
  leafHash,
  parseCheckpoint,
  rootFromInclusionProof,
  sameBytes,
  verifyCheckpointSignature,
  type ParsedCheckpoint,
} from './verify.ts';

type SignatureState = 'idle' | 'checking' | 'valid' | 'invalid' | 'unsupported';

function SignatureCheck({ checkpoint }: { checkpoint: ParsedCheckpoint }) {
  const { t } = useI18n();
  const key = usePublicKey();
  const [state, setState] = useState<SignatureState>('idle');
  if (key.data === undefined) return <QueryState isLoading={key.isLoading} error={key.error} rows={1} />;
  const publicKey = key.data;
  const check = async () => {
    setState('checking');
    if (!canVerifyInBrowser()) return setState('unsupported');
    const result = await verifyCheckpointSignature(checkpoint, publicKey.keyName, publicKey.publicKey);
    setState(result === undefined ? 'unsupported' : result ? 'valid' : 'invalid');
  };
  return (
    <div>
      <Button onClick={() => void check()} loading={state === 'checking'} data-testid="verify-signature">
        {t('transparency.verifySignature')}
      </Button>
      <div aria-live="polite" style={{ marginTop: 12 }}>
        {state === 'valid' ? (
          <Alert type="success" showIcon title={t('transparency.signatureValid', { keyName: publicKey.keyName })} />
        ) : null}
        {state === 'invalid' ? <Alert type="error" showIcon title={t('transparency.signatureInvalid')} /> : null}
        {state === 'unsupported' ? <Alert type="info" showIcon title={t('transparency.browserUnsupported')} /> : null}
      </div>
    </div>
  );
}

interface EntryCheck {
  leafIndex: number;
  leafText: string;
  included: boolean | undefined;
}

function EntryCheckForm({ checkpoint }: { checkpoint: ParsedCheckpoint }) {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const fromUrl = params.get('leaf');
  const [result, setResult] = useState<EntryCheck | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const check = async ({ leafIndex }: { leafIndex: number }) => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const entry = await fetchEntry(leafIndex);
      if (entry === undefined) throw new Error(t('transparency.entryMissing'));
      const leaf = base64ToBytes(entry.leaf);
      const leafText = new TextDecoder().decode(leaf);
      let included: boolean | undefined;
      if (canVerifyInBrowser()) {
        const proof = await fetchInclusionProof(leafIndex, checkpoint.size);
        const root = await rootFromInclusionProof(
          leafIndex,
          checkpoint.size,
          await leafHash(leaf),
          proof.hashes.map(base64ToBytes),
        );
        included = root !== undefined && sameBytes(root, base64ToBytes(checkpoint.root));
      }
      setResult({ leafIndex, leafText, included });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  let pretty = result?.leafText ?? '';
  try {
    pretty = JSON.stringify(JSON.parse(pretty), null, 2);
  } catch {
    // Not JSON: show the bytes as text.
  }

  return (
    <>
      <Form
        layout="inline"
        onFinish={(values: { leafIndex: string }) => void check({ leafIndex: Number(values.leafIndex) })}
        initialValues={{ leafIndex: fromUrl !== null && /^\d+$/.test(fromUrl) ? fromUrl : undefined }}
      >
        <Form.Item
          name="leafIndex"
          label={t('transparency.leafIndex')}
          rules={[
            { required: true, message: t('transparency.leafIndexRequired') },
            { pattern: /^\d+$/, message: t('transparency.leafIndexRequired') },
          ]}
        >
          <Input
            type="number"
            inputMode="numeric"
            min={0}
            max={Math.max(0, checkpoint.size - 1)}
            step={1}
            style={{ width: 140 }}
            data-testid="leaf-index-input"
          />
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={busy}
            disabled={checkpoint.size === 0}
            data-testid="verify-entry"
          >
            {t('transparency.verifyEntry')}
          </Button>
        </Form.Item>
      </Form>
      <div aria-live="polite" style={{ marginTop: 12 }}>
        <ErrorAlert error={error} />
        {result !== undefined ? (
          <>
            {result.included === true ? (
              <Alert
                type="success"
                showIcon
                data-testid="inclusion-result"
                title={t('transparency.included', { index: result.leafIndex, size: checkpoint.size })}
              />
            ) : result.included === false ? (
              <Alert type="error" showIcon data-testid="inclusion-result" title={t('transparency.notIncluded')} />
            ) : (
              <Alert type="info" showIcon title={t('transparency.browserUnsupported')} />
            )}
            <pre className="note" style={{ marginTop: 12 }}>
              {pretty}
            </pre>
          </>
        ) : null}
      </div>
    </>
  );
}

/** The public transparency log: the signed checkpoint, the key, and how anyone can verify both. */
export function TransparencyPage() {
  const { t } = useI18n();
  const checkpointQuery = useCheckpoint();
  const key = usePublicKey();
  const note = checkpointQuery.data;
  const checkpoint = typeof note === 'string' ? parseCheckpoint(note) : undefined;
  const origin = window.location.origin;

  return (
    <>
      <PageHeading title={t('transparency.title')} subtitle={t('transparency.subtitle')} />

      <Card
        title={<h2 className="card-heading">{t('transparency.checkpointHeading')}</h2>}
        style={{ marginBottom: 16 }}
      >
        {note === undefined ? (
          <QueryState
            isLoading={checkpointQuery.isLoading}
            error={checkpointQuery.error}
            onRetry={() => void checkpointQuery.refetch()}
            notFoundTitle={t('transparency.unavailable')}
          />
        ) : checkpoint === undefined ? (
          <Alert type="warning" showIcon title={t('transparency.malformed')} />
        ) : (
          <>
            <Descriptions
              column={1}
              size="small"
              items={[
                {
                  key: 'origin',
                  label: t('transparency.origin'),
                  children: <span className="mono">{checkpoint.origin}</span>,
                },
                {
                  key: 'size',
                  label: t('transparency.size'),
                  children: <span data-testid="checkpoint-size">{checkpoint.size}</span>,
                },
                {
                  key: 'root',
                  label: t('transparency.root'),
                  children: <span className="mono">{checkpoint.root}</span>,
                },
              ]}
            />
            <Typography.Title level={3} style={{ fontSize: 15 }}>
              {t('transparency.signedNote')}
            </Typography.Title>
            <pre className="note" data-testid="checkpoint-note">
              {note}
            </pre>
            <SignatureCheck checkpoint={checkpoint} />
          </>
        )}
      </Card>

      <Card title={<h2 className="card-heading">{t('transparency.keyHeading')}</h2>} style={{ marginBottom: 16 }}>
        {key.data === undefined ? (
          <QueryState
            isLoading={key.isLoading}
            error={key.error}
            notFoundTitle={t('transparency.unavailable')}
            rows={2}
          />
        ) : (
          <Descriptions
            column={1}
            size="small"
            items={[
              {
                key: 'keyName',
                label: t('transparency.keyName'),
                children: <span className="mono">{key.data.keyName}</span>,
              },
              {
                key: 'publicKey',
                label: t('transparency.publicKey'),
                children: (
                  <Typography.Text className="mono" copyable>
                    {key.data.publicKey}
                  </Typography.Text>
                ),
              },
              {
                key: 'verifierKey',
                label: t('transparency.verifierKey'),
                children: (
                  <Typography.Text className="mono" copyable data-testid="verifier-key">
                    {key.data.verifierKey}
                  </Typography.Text>
                ),
              },
            ]}
          />
        )}
      </Card>

      {checkpoint !== undefined ? (
        <Card title={<h2 className="card-heading">{t('transparency.entryHeading')}</h2>} style={{ marginBottom: 16 }}>
          <Typography.Paragraph>{t('transparency.entryText')}</Typography.Paragraph>
          <EntryCheckForm checkpoint={checkpoint} />
        </Card>
      ) : null}

      <Card title={<h2 className="card-heading">{t('transparency.howToHeading')}</h2>}>
        <ol className="howto">
          <li>
            <Typography.Paragraph>{t('transparency.howToCli')}</Typography.Paragraph>
            <pre className="note">{`npx aigov verify-log --url ${origin}${
              key.data !== undefined ? ` \\\n  --key '${key.data.verifierKey}'` : ''
            }`}</pre>
          </li>
          <li>
            <Typography.Paragraph>{t('transparency.howToCheckpoint')}</Typography.Paragraph>
            <pre className="note">{`curl -s ${origin}/api/v1/transparency/checkpoint\ncurl -s ${origin}/api/v1/transparency/public-key`}</pre>
          </li>
          <li>
            <Typography.Paragraph>{t('transparency.howToInclusion')}</Typography.Paragraph>
            <pre className="note">{`curl -s '${origin}/api/v1/transparency/entries?start=N&end=N+1'\ncurl -s '${origin}/api/v1/transparency/proofs/inclusion?leafIndex=N&treeSize=SIZE'`}</pre>
          </li>
          <li>
            <Typography.Paragraph>{t('transparency.howToConsistency')}</Typography.Paragraph>
            <pre className="note">{`curl -s '${origin}/api/v1/transparency/proofs/consistency?first=OLD_SIZE&second=NEW_SIZE'`}</pre>
          </li>
        </ol>
        <Space orientation="vertical">
          <Typography.Text type="secondary">{t('transparency.howToStandards')}</Typography.Text>
        </Space>
      </Card>
    </>
  );
}
