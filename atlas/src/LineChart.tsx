import { formatNumber } from './breaks';
import { AGGREGATED_NOTE } from './catalogue';
import { computedMark } from './computed';
import { valueTicks, yearTicks } from './ticks';

export interface Series {
  label: string;
  points: { year: number; value: number | null }[];
  dashed?: boolean;
  /** The years whose value RegioGraph computed from the regions within instead of the source publishing it (aggregatedYearsOf). */
  aggregatedYears?: number[];
}

const COLOURS = ['#253494', '#e6550d', '#31a354', '#756bb1', '#de2d26', '#636363'];
const WIDTH = 560;
const HEIGHT = 220;
const PAD = { left: 84, right: 12, top: 12, bottom: 28 };

/** Whether RegioGraph computed some, but not all, of a line's values (a wholly computed line's key says so alone). */
function partlyComputed(line: Series): boolean {
  const computed = line.aggregatedYears?.length ?? 0;
  return computed > 0 && computed < line.points.filter((point) => point.value !== null).length;
}

/** A tick's decimals: the indicator's, but none for a round tick (2 Mio. rather than 2.000.000,0). */
function tickDecimals(tick: number, decimals: number): number {
  return Number.isInteger(tick) ? 0 : decimals;
}

/**
 * A small SVG line chart: years on x, values on y; a missing year breaks the line instead of dropping to 0.
 * With `valuesTable`, its values follow as a table, folded: the chart's text alternative where the page
 * shows them nowhere else (the comparison has its table beside the chart).
 */
export function LineChart({
  series,
  unit,
  decimals,
  title,
  valuesTable = false,
}: {
  series: Series[];
  unit: string;
  decimals: number;
  title: string;
  valuesTable?: boolean;
}) {
  const points = series.flatMap((line) => line.points);
  const years = points.map((point) => point.year);
  const values = points.map((point) => point.value).filter((value): value is number => value !== null);
  if (years.length === 0 || values.length === 0) return <p>Keine Zeitreihe vorhanden.</p>;
  const [minYear, maxYear] = [Math.min(...years), Math.max(...years)];
  const minValue = Math.min(...values, 0);
  const top = Math.max(...values);
  // A flat series still gets a scale.
  const maxValue = top > minValue ? top : minValue + 1;
  const x = (year: number) => PAD.left + ((year - minYear) / Math.max(1, maxYear - minYear)) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => HEIGHT - PAD.bottom - ((value - minValue) / (maxValue - minValue)) * (HEIGHT - PAD.top - PAD.bottom);
  const path = (line: Series) => {
    let d = '';
    let pen = false;
    for (const point of [...line.points].sort((a, b) => a.year - b.year)) {
      if (point.value === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(point.year).toFixed(1)},${y(point.value).toFixed(1)}`;
      pen = true;
    }
    return d;
  };
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title}>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={HEIGHT - PAD.bottom} y2={HEIGHT - PAD.bottom} stroke="#999" />
        {valueTicks(minValue, maxValue).map((tick) => (
          <g key={tick} className="y-tick">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#eee" />
            <text x={PAD.left - 4} y={y(tick) + 4} textAnchor="end" fontSize="10">
              {formatNumber(tick, tickDecimals(tick, decimals))}
            </text>
          </g>
        ))}
        {yearTicks(minYear, maxYear).map((tick) => (
          <text key={tick} className="x-tick" x={x(tick)} y={HEIGHT - 8} fontSize="10" textAnchor="middle">
            {tick}
          </text>
        ))}
        {series.map((line, index) => (
          <path
            key={line.label}
            d={path(line)}
            fill="none"
            stroke={COLOURS[index % COLOURS.length]}
            strokeWidth={2}
            strokeDasharray={line.dashed ? '4 3' : undefined}
            data-series={line.label}
          />
        ))}
        {/* In a partly computed line the computed values are hollow dots, so the line shows which stretch is not the source's. */}
        {series.map((line, index) =>
          line.points
            .flatMap(({ year, value }) =>
              value !== null && partlyComputed(line) && line.aggregatedYears?.includes(year) ? [{ year, value }] : [],
            )
            .map((point) => (
              <circle
                key={`${line.label}-${point.year}`}
                className="computed-point"
                cx={x(point.year)}
                cy={y(point.value)}
                r={3}
                fill="#fff"
                stroke={COLOURS[index % COLOURS.length]}
                strokeWidth={1.5}
                data-series={line.label}
                data-year={point.year}
              >
                <title>{`${line.label} ${point.year}: berechnet`}</title>
              </circle>
            )),
        )}
      </svg>
      <figcaption>
        {series.map((line, index) => (
          <span
            key={line.label}
            className="key"
            data-aggregated={line.aggregatedYears?.length ? 'true' : 'false'}
            data-aggregated-years={line.aggregatedYears?.join(',') ?? ''}
            style={{ borderColor: COLOURS[index % COLOURS.length] }}
          >
            {line.label}
            {computedMark(line.aggregatedYears ?? [], line.points.filter((point) => point.value !== null).length)}
          </span>
        ))}
        <span className="unit">Einheit: {unit}</span>
        {series.some((line) => line.aggregatedYears?.length) && <small className="aggregated-note">{AGGREGATED_NOTE}</small>}
      </figcaption>
      {valuesTable && <ValuesTable series={series} unit={unit} decimals={decimals} title={title} />}
    </figure>
  );
}

/** A chart's values as a table (years × lines), in a <details> that a click or Enter unfolds. */
function ValuesTable({ series, unit, decimals, title }: { series: Series[]; unit: string; decimals: number; title: string }) {
  const years = [...new Set(series.flatMap((line) => line.points.map((point) => point.year)))].sort((a, b) => a - b);
  return (
    <details className="chart-values">
      <summary>Werte als Tabelle</summary>
      <table>
        <caption className="visually-hidden">
          {title} ({unit})
        </caption>
        <thead>
          <tr>
            <th scope="col">Jahr</th>
            {series.map((line) => (
              <th key={line.label} scope="col">
                {line.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {years.map((year) => (
            <tr key={year}>
              <th scope="row">{year}</th>
              {series.map((line) => {
                const value = line.points.find((point) => point.year === year)?.value ?? null;
                return (
                  <td key={line.label} data-value={value ?? ''}>
                    {formatNumber(value, decimals)}
                    {value !== null && line.aggregatedYears?.includes(year) ? ' (berechnet)' : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
