import { useState } from 'react';
import { formatNumber } from './breaks';
import { formatShare, GROUP_NAMES, type GroupLevel } from './equal-report';
import { FailureText } from './FailureText';
import type { AtlasEqualTheilQuery, AtlasEqualTheilQueryVariables } from './generated/graphql';
import { distinctLabels } from './navigation';
import { AtlasEqualTheilDocument } from './operations';
import { RetryButton } from './Retry';
import { useQuery } from './useQuery';

type Decomposition = NonNullable<AtlasEqualTheilQuery['disparities']['indicators'][number]['theilDecomposition']>;

/**
 * One indicator's Theil decomposition group by group, asked for when the reader first opens it (see
 * AtlasEqualTheilDocument): per group its regions, mean, share of the total and own Theil index,
 * unweighted and, where measurable, weighted.
 */
export function TheilGroups({
  variables,
  indicator,
  groupLevel,
  weighting,
}: {
  /** The report's choice, narrowed to this indicator. */
  variables: AtlasEqualTheilQueryVariables;
  indicator: { code: string; name: string; unit: string; decimals: number };
  groupLevel: GroupLevel;
  /** The weighted columns' label with the weights' year (weightingText); null where the weighted index is not measurable. */
  weighting: string | null;
}) {
  const [opened, setOpened] = useState(false);
  const query = useQuery(AtlasEqualTheilDocument, opened ? variables : null);
  const names = GROUP_NAMES[groupLevel];
  const entry = query.data?.disparities.indicators.find((each) => each.indicator.indicatorCode === indicator.code) ?? null;
  const plain = entry?.theilDecomposition ?? null;
  const weighted = weighting === null ? null : (entry?.weightedTheilDecomposition ?? null);
  return (
    <details className="theil-groups" data-indicator={indicator.code} onToggle={(event) => event.currentTarget.open && setOpened(true)}>
      <summary>
        {indicator.name}: {names.many} im Einzelnen
      </summary>
      {query.loading && <p className="theil-loading">Wird geladen…</p>}
      {query.error && (
        <p role="alert">
          Die {names.many} kamen nicht: <FailureText failure={query.error} /> <RetryButton onRetry={query.retry} retryIn={query.retryIn} />
        </p>
      )}
      {plain && (
        <GroupsTable
          indicator={indicator}
          names={names}
          year={entry!.indicator.year}
          plain={plain}
          weighted={weighted}
          weighting={weighting}
        />
      )}
    </details>
  );
}

function GroupsTable({
  indicator,
  names,
  year,
  plain,
  weighted,
  weighting,
}: {
  indicator: { code: string; name: string; unit: string; decimals: number };
  names: (typeof GROUP_NAMES)[GroupLevel];
  year: number;
  plain: Decomposition;
  weighted: Decomposition | null;
  weighting: string | null;
}) {
  const labels = distinctLabels(plain.groups.map((group) => group.region));
  const weightedOf = new Map((weighted?.groups ?? []).map((group) => [group.region.code, group]));
  const mean = (value: number) => `${formatNumber(value, indicator.decimals)} ${indicator.unit}`;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={`${indicator.name}: ${names.many} im Einzelnen`}>
      <table className="theil-groups-table">
        <caption>
          {indicator.name} ({year}) je {names.one}: Regionen, Mittel, Anteil am Gesamtwert und Theil-Index innerhalb, ungewichtet
          {weighting ? ` und ${weighting}` : ' (gewichtet nicht berechenbar)'}
        </caption>
        <thead>
          <tr>
            <th scope="col">{names.one}</th>
            <th scope="col">Regionen (n)</th>
            <th scope="col">Mittel</th>
            <th scope="col">Anteil am Gesamtwert</th>
            <th scope="col">Theil innerhalb</th>
            {weighted && (
              <>
                <th scope="col">Mittel gewichtet</th>
                <th scope="col">Anteil am Gesamtwert gewichtet</th>
                <th scope="col">Theil innerhalb gewichtet</th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {plain.groups.map((group, index) => {
            const other = weightedOf.get(group.region.code);
            return (
              <tr key={group.region.code} data-region-code={group.region.code} data-total-share={group.totalShare}>
                <th scope="row">{labels[index]}</th>
                <td>{group.regionCount}</td>
                <td data-mean={group.mean}>{mean(group.mean)}</td>
                <td>{formatShare(group.totalShare)}</td>
                <td data-theil={group.theil}>{formatNumber(group.theil, 4)}</td>
                {weighted && (
                  <>
                    <td data-weighted-mean={other?.mean ?? ''}>{other ? mean(other.mean) : '–'}</td>
                    <td data-weighted-total-share={other?.totalShare ?? ''}>{formatShare(other?.totalShare)}</td>
                    <td data-weighted-theil={other?.theil ?? ''}>{other ? formatNumber(other.theil, 4) : '–'}</td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
