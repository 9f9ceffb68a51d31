import { geoMercator, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useMemo, useState } from 'react';
import { classOf, classRanges, colourOf, formatNumber, quantileClasses, rangeLabel } from './breaks';
import { AGGREGATED_NOTE, attributionOf, syntheticNote } from './catalogue';
import { rewound } from './geo';
import type { AtlasMapQuery } from './generated/graphql';

const WIDTH = 720;
const HEIGHT = 620;

type MapRegion = NonNullable<AtlasMapQuery['area']>['regions'][number];

interface Shape {
  region: MapRegion;
  d: string;
  value: number | null;
  rank: { rank: number; of: number; percentile: number } | undefined;
}

interface MapViewProps {
  data: AtlasMapQuery;
  year: number;
  selected: string | null;
  onSelect(code: string): void;
}

/** The choropleth: one <path> per region, carrying its code and value for tests and scripts. */
export function MapView({ data, year, selected, onSelect }: MapViewProps) {
  const [hovered, setHovered] = useState<string | null>(null);
  const indicator = data.indicator;
  const boundarySource = data.state?.source;
  const regions = useMemo(() => data.area?.regions ?? [], [data]);
  const ranks = useMemo(() => new Map(data.ranking.entries.map((entry) => [entry.regionCode, entry])), [data]);
  const classes = useMemo(() => quantileClasses(regions.map((region) => region.value?.value)), [regions]);

  const shapes = useMemo<Shape[]>(() => {
    const features = regions
      .filter((region) => region.boundary)
      .map((region) => rewound({ type: 'Feature', properties: { code: region.code }, geometry: region.boundary as Geometry }));
    const collection: FeatureCollection = { type: 'FeatureCollection', features };
    const projection = geoMercator().fitSize([WIDTH, HEIGHT], collection);
    const path = geoPath(projection);
    const byCode = new Map(features.map((feature: Feature) => [feature.properties?.code as string, feature]));
    return regions.map((region) => {
      const feature = byCode.get(region.code);
      const value = region.value?.value ?? null;
      return { region, d: feature ? (path(feature) ?? '') : '', value, rank: ranks.get(region.code) };
    });
  }, [regions, ranks]);

  const hoveredShape = shapes.find((shape) => shape.region.code === hovered);
  // An unknown indicator comes with an error, which the page shows instead of a map.
  if (!indicator) return null;
  const decimals = indicator.decimals;
  const title = `${indicator.name} ${year} (${indicator.unit}) – ${data.area?.name ?? ''}`;
  // The map ranks within the area shown; the profile within the state: each rank names its scope.
  const rankLabel = (rank: { rank: number; of: number }) => `Rang ${rank.rank} von ${rank.of} in ${data.area?.name ?? 'Niedersachsen'}`;

  return (
    <figure className="map" aria-labelledby="map-title">
      <figcaption id="map-title">
        {title}
        {syntheticNote(indicator)}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={`Karte: ${title}`} data-shape-count={shapes.length}>
        <defs>
          <pattern id="missing" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#f4f4f4" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#999" strokeWidth="2" />
          </pattern>
        </defs>
        {shapes.map(({ region, d, value, rank }) => {
          const classIndex = classOf(value, classes);
          const missing = classIndex === null || !classes;
          // The official type tells apart regions of the same name (Osnabrück, city and county).
          const computed = !missing && region.value?.aggregated ? ' (berechnet)' : '';
          const label = `${region.name} (${region.officialType}): ${missing ? 'keine Angabe' : `${formatNumber(value, decimals)} ${indicator.unit}${computed}`}${rank ? `, ${rankLabel(rank)}` : ''}`;
          return (
            <path
              key={region.code}
              d={d}
              className={`region${missing ? ' missing' : ''}${selected === region.code ? ' selected' : ''}`}
              fill={missing ? 'url(#missing)' : colourOf(classIndex, classes)}
              data-region-code={region.code}
              data-value={value === null ? '' : String(value)}
              data-missing={missing ? 'true' : undefined}
              data-class={missing ? undefined : classIndex}
              tabIndex={0}
              role="button"
              aria-label={label}
              onMouseEnter={() => setHovered(region.code)}
              onMouseLeave={() => setHovered((current) => (current === region.code ? null : current))}
              onFocus={() => setHovered(region.code)}
              onBlur={() => setHovered((current) => (current === region.code ? null : current))}
              onClick={() => onSelect(region.code)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  onSelect(region.code);
                }
              }}
            >
              <title>{label}</title>
            </path>
          );
        })}
      </svg>
      {hoveredShape && (
        <div className="tooltip" role="tooltip" data-region-code={hoveredShape.region.code}>
          <strong className="tooltip-name">{hoveredShape.region.name}</strong>
          <span className="tooltip-type">{hoveredShape.region.officialType}</span>
          <span className="tooltip-value" data-value={hoveredShape.value ?? ''}>
            {hoveredShape.value === null ? 'keine Angabe' : `${formatNumber(hoveredShape.value, decimals)} ${indicator.unit}`}
          </span>
          {hoveredShape.value !== null && hoveredShape.region.value?.aggregated && (
            <span className="tooltip-aggregated">{AGGREGATED_NOTE}</span>
          )}
          <span className="tooltip-rank">{hoveredShape.rank ? rankLabel(hoveredShape.rank) : 'ohne Rang'}</span>
        </div>
      )}
      <div className="legend" aria-label="Legende">
        <strong>{indicator.unit}</strong>
        <ul>
          {classes &&
            classRanges(classes).map((range, index) => (
              <li key={index} data-class={index}>
                <span className="swatch" style={{ background: colourOf(index, classes) }} />
                {rangeLabel(range, decimals)}
              </li>
            ))}
          {/* Only when a region is drawn as missing: a legend line for nothing shown misleads. */}
          {shapes.some((shape) => classOf(shape.value, classes) === null) && (
            <li data-class="missing">
              <span className="swatch missing-swatch" />
              keine Angabe
            </li>
          )}
        </ul>
        <small>Klassen: Quantile</small>
      </div>
      <p className="attribution">
        Daten: {attributionOf(indicator)}. Grenzen:{' '}
        {/* The boundaries' attribution as the regions subgraph states it, linked to the provider as dl-de/by-2-0 asks. */}
        {boundarySource ? (
          <a href={boundarySource.url} data-attribution="boundaries">
            {boundarySource.attribution}
          </a>
        ) : null}
        .
      </p>
    </figure>
  );
}
