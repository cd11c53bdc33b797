import { Card, Input, Table, Tag } from 'antd';
import { useState } from 'react';
import type { CatalogueItem } from '../../api/types.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { useI18n } from '../../i18n/index.ts';
import { useCatalogue } from './hooks.ts';
import { toneClass } from '../../components/tone.ts';

interface CatalogueRow extends CatalogueItem {
  key: string;
  children?: CatalogueRow[];
}

function toRows(items: CatalogueItem[]): CatalogueRow[] {
  const rows = new Map<string, CatalogueRow>(items.map((item) => [item.code, { ...item, key: item.code }]));
  const roots: CatalogueRow[] = [];
  for (const row of rows.values()) {
    const parent = row.parentCode === null ? undefined : rows.get(row.parentCode);
    if (parent === undefined) roots.push(row);
    else (parent.children ??= []).push(row);
  }
  return roots;
}

/** The AI industry classification catalogue, any published version (`?version=`). */
export function CataloguePage() {
  const { t } = useI18n();
  const [version, setVersion] = useState<string | undefined>();
  const catalogue = useCatalogue(version);

  return (
    <>
      <PageHeading title={t('catalogue.title')} subtitle={t('catalogue.subtitle')} />
      <Card>
        <Input.Search
          allowClear
          enterButton={t('catalogue.load')}
          placeholder={t('catalogue.versionPlaceholder')}
          aria-label={t('catalogue.versionLabel')}
          style={{ maxWidth: 360, marginBottom: 16 }}
          onSearch={(value) => setVersion(value.trim() === '' ? undefined : value.trim())}
        />
        {catalogue.data === undefined ? (
          <QueryState isLoading={catalogue.isLoading} error={catalogue.error} />
        ) : (
          <>
            <p>
              {t('catalogue.version')}
              {t('common.colon')}
              <Tag className={toneClass('blue')}>{catalogue.data.version}</Tag>
              {t('catalogue.count', { count: catalogue.data.items.length })}
            </p>
            <Table<CatalogueRow>
              dataSource={toRows(catalogue.data.items)}
              pagination={false}
              size="small"
              scroll={{ x: 640 }}
              expandable={{ defaultExpandAllRows: true }}
              columns={[
                {
                  title: t('catalogue.code'),
                  dataIndex: 'code',
                  key: 'code',
                  render: (code: string) => <span className="mono">{code}</span>,
                },
                { title: t('catalogue.level'), dataIndex: 'level', key: 'level', width: 80 },
                { title: t('catalogue.nameZh'), dataIndex: 'nameZh', key: 'nameZh' },
                { title: t('catalogue.nameEn'), dataIndex: 'nameEn', key: 'nameEn' },
              ]}
            />
          </>
        )}
      </Card>
    </>
  );
}
