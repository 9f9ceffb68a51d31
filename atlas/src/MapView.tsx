import { geoMercator, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { classOf, classRanges, colourOf, formatNumber, quantileClasses, rangeLabel } from './breaks';
import { AGGREGATED_NOTE, attributionOf, syntheticNote } from './catalogue';
import { rewound } from './geo';
import { ARROWS, findRegion, neighbour, searchLabel } from './navigation';
import type { AtlasMapQuery } from './generated/graphql';

const WIDTH = 720;
const HEIGHT = 620;

type MapRegion = NonNullable<AtlasMapQuery['area']>['regions'][number];

interface Shape {
  region: MapRegion;
  d: string;
  value: number | null;
  rank: { rank: number; of: number; percentile: number } | undefined;
  /** Where the arrow keys measure from (null for a region without a boundary). */
  centre: [number, number] | null;
}

/** Gives the keyboard focus to a region's shape on the map, if the map shows it. */
export function focusShape(code: string): void {
  document.querySelector<SVGPathElement>(`figure.map path[data-region-code="${code}"]`)?.focus();
}

interface MapViewProps {
  data: AtlasMapQuery;
  year: number;
  selected: string | null;
  onSelect(code: string): void;
  /** The same values as a table: the map's text alternative. */
  tableHref: string;
  onTable(): void;
}

/** The choropleth: one <path> per region, carrying its code and value for tests and scripts. */
export function MapView({ data, year, selected, onSelect, tableHref, onTable }: MapViewProps) {
  const [hovered, setHovered] = useState<string | null>(null);
  // The shape with the keyboard focus, outlined on top of its neighbours (a stroke alone hides under them).
  const [focused, setFocused] = useState<string | null>(null);
  // The map is one Tab stop (roving tabindex): the shape last focused, else the selected or the first one.
  const [active, setActive] = useState<string | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const legend = useRef<HTMLDivElement>(null);
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
      const centre = feature ? path.centroid(feature) : null;
      return {
        region,
        d: feature ? (path(feature) ?? '') : '',
        value,
        rank: ranks.get(region.code),
        centre: centre && Number.isFinite(centre[0]) && Number.isFinite(centre[1]) ? centre : null,
      };
    });
  }, [regions, ranks]);

  const hoveredShape = shapes.find((shape) => shape.region.code === hovered);
  const focusedShape = shapes.find((shape) => shape.region.code === focused);
  const tabStop = [active, selected].find((code) => shapes.some((shape) => shape.region.code === code)) ?? shapes[0]?.region.code;
  const sortedRegions = useMemo(() => [...regions].sort((a, b) => searchLabel(a).localeCompare(searchLabel(b), 'de')), [regions]);

  const onShapeKey = (event: KeyboardEvent<SVGPathElement>, shape: Shape) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(shape.region.code);
    } else if (event.key === 'Escape') {
      // The tooltip shown on focus goes away without the focus moving (WCAG 1.4.13).
      setHovered(null);
    } else if (ARROWS[event.key]) {
      event.preventDefault();
      const next = neighbour(shapes, shape, ARROWS[event.key]!);
      if (next) focusShape(next.region.code);
    }
  };
  const onSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('region-search') ?? '');
    const found = findRegion(regions, text);
    if (found === 'none') setSearchError(`Keine Region „${text.trim()}“ auf dieser Karte.`);
    else if (found === 'several') setSearchError(`Mehrere Regionen passen zu „${text.trim()}“: bitte eine aus der Liste wählen.`);
    else {
      setSearchError(null);
      setActive(found.code);
      onSelect(found.code);
    }
  };
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
      <a
        className="skip-link skip-map"
        href="#map-legend"
        onClick={(event) => {
          // Focus, not the URL's fragment: the query string is the page's state and its history.
          event.preventDefault();
          legend.current?.focus();
        }}
      >
        Karte überspringen
      </a>
      {/* A keyboard's way to one of a thousand municipalities without tabbing or arrowing through their shapes. */}
      <form className="region-search" role="search" aria-label="Region auf der Karte" onSubmit={onSearch}>
        <label>
          Region suchen{' '}
          <input
            name="region-search"
            list="map-regions"
            autoComplete="off"
            aria-describedby={searchError ? 'region-search-error' : undefined}
          />
        </label>
        <datalist id="map-regions">
          {sortedRegions.map((region) => (
            <option key={region.code} value={searchLabel(region)} />
          ))}
        </datalist>
        <button type="submit">Öffnen</button>
        {searchError && (
          <span id="region-search-error" role="alert">
            {searchError}
          </span>
        )}
      </form>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={`Karte: ${title}`} data-shape-count={shapes.length}>
        <defs>
          <pattern id="missing" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#f4f4f4" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#999" strokeWidth="2" />
          </pattern>
        </defs>
        {shapes.map((shape) => {
          const { region, d, value, rank } = shape;
          const classIndex = classOf(value, classes);
          const missing = classIndex === null || !classes;
          // The official type tells apart regions of the same name (Osnabrück, city and county).
          const computed = !missing && region.value?.aggregated ? ' (berechnet)' : '';
          const label = `${searchLabel(region)}: ${missing ? 'keine Angabe' : `${formatNumber(value, decimals)} ${indicator.unit}${computed}`}${rank ? `, ${rankLabel(rank)}` : ''}`;
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
              tabIndex={region.code === tabStop ? 0 : -1}
              role="button"
              aria-label={label}
              onMouseEnter={() => setHovered(region.code)}
              onMouseLeave={() => setHovered((current) => (current === region.code ? null : current))}
              onFocus={() => {
                setHovered(region.code);
                setFocused(region.code);
                setActive(region.code);
              }}
              onBlur={() => {
                setHovered((current) => (current === region.code ? null : current));
                setFocused((current) => (current === region.code ? null : current));
              }}
              onClick={() => onSelect(region.code)}
              onKeyDown={(event) => onShapeKey(event, shape)}
            >
              <title>{label}</title>
            </path>
          );
        })}
        {focusedShape && (
          <g className="focus-ring" aria-hidden="true">
            <path d={focusedShape.d} className="focus-ring-outer" />
            <path d={focusedShape.d} className="focus-ring-inner" />
          </g>
        )}
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
      <div className="legend" role="group" aria-label="Legende" id="map-legend" ref={legend} tabIndex={-1}>
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
      <p className="table-link">
        <a
          className="as-table"
          href={tableHref}
          onClick={(event) => {
            // A plain click changes the view in place; a middle click or Ctrl opens the link elsewhere.
            if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
            event.preventDefault();
            onTable();
          }}
        >
          Werte der Karte als Tabelle
        </a>
      </p>
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
