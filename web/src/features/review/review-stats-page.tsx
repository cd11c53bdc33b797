import { Card, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { ButtonLink } from '../../components/button-link.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { formatPercent } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { EChart, type ChartOption } from './echart.tsx';
import { useReviewStats } from './hooks.ts';

/** Same colours as the tier tags (prohibited magenta, high red, medium orange, low green). */
const TIER_CHART_COLORS: Record<string, string> = {
  prohibited: '#c41d7f',
  high: '#cf1322',
  medium: '#d46b08',
  low: '#389e0d',
};

/** How the review service performs: workload by status and tier, timeliness, decisions per week. */
export function ReviewStatsPage() {
  const { t, language } = useI18n();
  const stats = useReviewStats();
  const data = stats.data;

  const options = useMemo(() => {
    if (data === undefined) return undefined;
    const statusEntries = Object.entries(data.byStatus ?? {});
    const tierEntries = Object.entries(data.byTier ?? {});
    const weeks = data.decisionsByWeek ?? [];
    const byStatus: ChartOption = {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: statusEntries.map(([status]) => t(`status.${status}`, { defaultValue: status })),
      },
      series: [{ type: 'bar', data: statusEntries.map(([, count]) => count), itemStyle: { color: '#0f4c81' } }],
    };
    const byTier: ChartOption = {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          // Empty slices would only stack their labels on top of each other.
          data: tierEntries
            .filter(([, count]) => count > 0)
            .map(([tier, count]) => ({
              name: t(`tier.${tier}`, { defaultValue: tier }),
              value: count,
              itemStyle: { color: TIER_CHART_COLORS[tier] ?? '#8c8c8c' },
            })),
        },
      ],
    };
    const byWeek: ChartOption = {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: weeks.map((week) => week.week) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'line',
          areaStyle: { opacity: 0.15 },
          data: weeks.map((week) => week.count),
          itemStyle: { color: '#0f4c81' },
        },
      ],
    };
    return { byStatus, byTier, byWeek };
  }, [data, t]);

  return (
    <>
      <PageHeading
        title={t('review.statsTitle')}
        subtitle={t('review.statsSubtitle')}
        extra={<ButtonLink to="/review">{t('nav.reviewQueue')}</ButtonLink>}
      />
      {data === undefined || options === undefined ? (
        <QueryState isLoading={stats.isLoading} error={stats.error} onRetry={() => void stats.refetch()} />
      ) : (
        <>
          <div className="stat-grid" style={{ marginBottom: 16 }}>
            <Card>
              <Statistic
                title={t('review.onTimeRate')}
                value={formatPercent(data.onTimeRate, language)}
                data-testid="stat-on-time"
              />
            </Card>
            <Card>
              <Statistic
                title={t('review.medianDays')}
                value={data.medianWorkingDaysToDecision ?? '—'}
                suffix={data.medianWorkingDaysToDecision !== null ? t('review.workingDaysUnit') : undefined}
                data-testid="stat-median"
              />
            </Card>
            <Card>
              <Statistic
                title={t('review.openFilings')}
                value={['submitted', 'under_review', 'information_requested'].reduce(
                  (sum, status) => sum + (data.byStatus?.[status] ?? 0),
                  0,
                )}
              />
            </Card>
          </div>
          <div className="stat-grid">
            <Card title={<h2 className="card-heading">{t('review.byStatus')}</h2>}>
              <EChart option={options.byStatus} label={t('review.byStatus')} testId="chart-status" />
            </Card>
            <Card title={<h2 className="card-heading">{t('review.byTier')}</h2>}>
              <EChart option={options.byTier} label={t('review.byTier')} testId="chart-tier" />
            </Card>
          </div>
          <Card title={<h2 className="card-heading">{t('review.byWeek')}</h2>} style={{ marginTop: 16 }}>
            {(data.decisionsByWeek ?? []).length === 0 ? (
              <Typography.Text type="secondary">{t('review.noDecisionsYet')}</Typography.Text>
            ) : (
              <EChart option={options.byWeek} label={t('review.byWeek')} testId="chart-weeks" />
            )}
          </Card>
        </>
      )}
    </>
  );
}
