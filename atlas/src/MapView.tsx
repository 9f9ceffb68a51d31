import { geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import type { MapScale } from './breaks';
import { AGGREGATED_NOTE } from './catalogue';
import { outlineOf } from './contrast';
import { mapProjection, neighbourLabels, rewound, type MapLabel } from './geo';
import { mapSvg, svgToPng, type MapExportInfo } from './map-export';
import { saveBlob } from './save-file';
import { ARROWS, neighbour, searchLabel } from './navigation';
import { RegionSearch, type FoundRegion } from './RegionSearch';
import { FINGER_RADIUS, regionsUnderFinger } from './touch';

const WIDTH = 720;
const HEIGHT = 620;

/** A region as the map draws it: its boundary and the one value its colour shows. */
export interface MapRegion {
  code: string;
  name: string;
  officialType: string;
  boundary?: unknown;
  value: number | null;
  /** The value is not the source's but computed by RegioGraph ("berechnet"). */
  aggregated?: boolean;
  /** Why the value is missing, in German as far as RegioGraph words it (missingReason, language: DE). */
  missingReason?: string | null;
}

export interface MapRank {
  rank: number;
  of: number;
}

interface Shape {
  region: MapRegion;
  d: string;
  value: number | null;
  rank: MapRank | undefined;
  /** Where the arrow keys measure from (null for a region without a boundary). */
  centre: [number, number] | null;
}

/** Gives the keyboard focus to a region's shape on the map, if the map shows it. */
export function focusShape(code: string): void {
  document.querySelector<SVGPathElement>(`figure.map path[data-region-code="${code}"]`)?.focus();
}

interface MapViewProps {
  regions: readonly MapRegion[];
  /** What the map shows ("Bevölkerung 2021 (Personen) – Niedersachsen"), its caption and its name. */
  title: string;
  /** Said after the title in the caption (synthetic data). */
  titleNote?: string;
  /** The legend's heading: the unit, or what the values mean. */
  legendTitle: string;
  scale: MapScale | null;
  ranks: ReadonlyMap<string, MapRank>;
  /** A rank in words, naming its scope. */
  rankLabel(rank: MapRank): string;
  /** The data's attribution (the boundaries' follows it). */
  attribution: ReactNode;
  boundarySource: { attribution: string; url: string } | null | undefined;
  selected: string | null;
  onSelect(code: string): void;
  /** Opens a region the search found beyond the map, or one of several of the same name on it. */
  onFound(region: FoundRegion): void;
  /** The same values as a table: the map's text alternative. */
  tableHref: string;
  /** The text of the link to that table. */
  tableText?: string;
  onTable(): void;
  /** The map is the last one drawn, not the answer to the current choice (whose request failed). */
  stale?: boolean;
  /** Offers the map as an SVG and a PNG file, with these sources and this name; none without. */
  exportInfo?: MapExportInfo;
}

/** The grey of a shape without a value, as the style sheet outlines it. */
const MISSING_OUTLINE = '#767676';

/** The choropleth: one <path> per region, carrying its code and value for tests and scripts. */
export function MapView({
  regions,
  title,
  titleNote = '',
  legendTitle,
  scale,
  ranks,
  rankLabel,
  attribution,
  boundarySource,
  selected,
  onSelect,
  onFound,
  tableHref,
  tableText = 'Werte der Karte als Tabelle',
  onTable,
  stale = false,
  exportInfo,
}: MapViewProps) {
  const [hovered, setHovered] = useState<string | null>(null);
  // The details of a region stay until the pointer or the focus moves to another region, or until they are
  // dismissed (Escape anywhere, or their close button): those of the region chosen too, so that a tap or
  // Enter shows them without a hover (WCAG 2.2, 1.4.13).
  const [dismissed, setDismissed] = useState(false);
  const tooltip = useRef<HTMLDivElement>(null);
  // The shape given the focus back when its details close: focused so, it does not show them again at once.
  const quietFocus = useRef<string | null>(null);
  // The shape with the keyboard focus, outlined on top of its neighbours (a stroke alone hides under them).
  const [focused, setFocused] = useState<string | null>(null);
  // The map is one Tab stop (roving tabindex): the shape last focused, else the selected or the first one.
  const [active, setActive] = useState<string | null>(null);
  const legend = useRef<HTMLDivElement>(null);
  // Neighbouring classes differ by less than 3:1 (no palette of five classes can do more): a class chosen
  // in the legend stands out from the others by more than its colour, the others fade.
  const [highlight, setHighlight] = useState<number | null>(null);
  // A finger covers several small municipalities: a tap among them asks which one was meant.
  const pointerType = useRef('mouse');
  const figure = useRef<HTMLElement>(null);
  const [nearby, setNearby] = useState<string[] | null>(null);
  const firstNearby = useRef<HTMLButtonElement>(null);
  useEffect(() => setNearby(null), [regions]);
  useEffect(() => setDismissed(false), [selected]);
  useEffect(() => {
    firstNearby.current?.focus();
    firstNearby.current?.scrollIntoView({ block: 'nearest' });
  }, [nearby]);

  const { shapes, labels } = useMemo<{ shapes: Shape[]; labels: MapLabel[] }>(() => {
    const features = regions
      .filter((region) => region.boundary)
      .map((region) => rewound({ type: 'Feature', properties: { code: region.code }, geometry: region.boundary as Geometry }));
    const collection: FeatureCollection = { type: 'FeatureCollection', features };
    const projection = mapProjection(collection, WIDTH, HEIGHT);
    const path = geoPath(projection);
    const byCode = new Map(features.map((feature: Feature) => [feature.properties?.code as string, feature]));
    const drawn = regions.map((region) => {
      const feature = byCode.get(region.code);
      const value = region.value;
      const centre = feature ? path.centroid(feature) : null;
      return {
        region,
        d: feature ? (path(feature) ?? '') : '',
        value,
        rank: ranks.get(region.code),
        centre: centre && Number.isFinite(centre[0]) && Number.isFinite(centre[1]) ? centre : null,
      };
    });
    return { shapes: drawn, labels: features.length > 0 ? neighbourLabels(collection, projection, WIDTH, HEIGHT) : [] };
  }, [regions, ranks]);

  const detailsCode = dismissed ? null : (hovered ?? selected);
  const hoveredShape = shapes.find((shape) => shape.region.code === detailsCode);
  /** Hides the details; the focus, if it was on their button, goes back to their region's shape rather than to the page. */
  const closeDetails = () => {
    setDismissed(true);
    if (detailsCode && tooltip.current?.contains(document.activeElement)) {
      quietFocus.current = detailsCode;
      focusShape(detailsCode);
    }
  };
  // Escape dismisses the details wherever the focus is, also when only the pointer shows them.
  useEffect(() => {
    if (!detailsCode) return;
    const dismiss = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape') closeDetails();
    };
    document.addEventListener('keydown', dismiss);
    return () => document.removeEventListener('keydown', dismiss);
  });
  const focusedShape = shapes.find((shape) => shape.region.code === focused);
  const tabStop = [active, selected].find((code) => shapes.some((shape) => shape.region.code === code)) ?? shapes[0]?.region.code;

  const onShapeKey = (event: KeyboardEvent<SVGPathElement>, shape: Shape) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(shape.region.code);
    } else if (ARROWS[event.key]) {
      event.preventDefault();
      const next = neighbour(shapes, shape, ARROWS[event.key]!);
      if (next) focusShape(next.region.code);
    }
  };
  const classOf = (value: number | null) => (scale ? scale.classOf(value) : null);
  /** A shape's name with its value and rank, as its tooltip, a screen reader and the exported file say it. */
  const labelOf = ({ region, value, rank }: Shape) => {
    const classIndex = classOf(value);
    const missing = classIndex === null || !scale;
    // The official type tells apart regions of the same name (Osnabrück, city and county).
    const computed = !missing && region.aggregated ? ' (berechnet)' : '';
    return `${searchLabel(region)}: ${missing ? 'keine Angabe' : `${scale.format(value!)}${computed}`}${rank ? `, ${rankLabel(rank)}` : ''}`;
  };
  const fillOf = (value: number | null) => {
    const classIndex = classOf(value);
    return classIndex === null || !scale ? null : scale.colourOf(classIndex);
  };

  const [exportFailed, setExportFailed] = useState(false);
  /** The map as drawn, without hover, focus, selection or a class picked out, as a standalone SVG. */
  const exportSvg = (info: MapExportInfo) =>
    mapSvg({
      ...info,
      title: `${title}${titleNote}`,
      legendTitle,
      legend: scale?.legend ?? [],
      scaleNote: scale?.note ?? '',
      shapes: shapes.map((shape) => {
        const fill = fillOf(shape.value);
        return { code: shape.region.code, d: shape.d, fill, stroke: fill ? outlineOf(fill) : MISSING_OUTLINE, label: labelOf(shape) };
      }),
      labels,
      aggregatedCount: shapes.filter((shape) => fillOf(shape.value) !== null && shape.region.aggregated).length,
      boundarySource,
      atlasUrl: window.location.href,
      exportedAt: new Date(),
      mapWidth: WIDTH,
      mapHeight: HEIGHT,
    });
  const onExport = async (info: MapExportInfo, format: 'svg' | 'png') => {
    setExportFailed(false);
    try {
      const svg = exportSvg(info);
      const blob = format === 'svg' ? new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }) : await svgToPng(svg);
      saveBlob(blob, `${info.fileBase}.${format}`);
    } catch {
      setExportFailed(true);
    }
  };

  /** The region drawn at a point of the screen, on this map. */
  const codeAt = (x: number, y: number): string | null => {
    for (const element of document.elementsFromPoint(x, y))
      if (element instanceof SVGPathElement && element.dataset.regionCode && figure.current?.contains(element))
        return element.dataset.regionCode;
    return null;
  };
  // A mouse selects what it clicks. A finger selects what it taps unless a region smaller than its
  // target lies under it beside another: then the page lists them and the reader picks one.
  const onMapClick = (event: MouseEvent<SVGSVGElement>) => {
    const tapped = event.target instanceof SVGPathElement ? (event.target.dataset.regionCode ?? null) : null;
    if (pointerType.current === 'touch') {
      const under = regionsUnderFinger(event.clientX, event.clientY, codeAt);
      const small = under.some((code) => {
        const box = figure.current?.querySelector(`path[data-region-code="${code}"]`)?.getBoundingClientRect();
        return box !== undefined && Math.min(box.width, box.height) < 2 * FINGER_RADIUS;
      });
      if (under.length > 1 && small) {
        setNearby(under);
        return;
      }
      if (!tapped && under.length === 1) {
        onSelect(under[0]!);
        return;
      }
    }
    if (tapped) onSelect(tapped);
  };

  return (
    <figure ref={figure} className={`map${stale ? ' stale' : ''}`} aria-labelledby="map-title" data-stale={stale ? 'true' : undefined}>
      <figcaption id="map-title">
        {/* Said in words, not only by the paler colours: also on paper and to a screen reader. */}
        {stale && <strong className="stale-label">Nicht aktuell: </strong>}
        {title}
        {titleNote}
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
      {/* A keyboard's way to one of a thousand municipalities without tabbing or arrowing through their shapes,
          and anyone's way to a region not on this map. */}
      <RegionSearch
        regions={regions}
        onSelect={(code) => {
          setActive(code);
          onSelect(code);
        }}
        onFound={onFound}
      />
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="group"
        aria-label={`Karte: ${title}`}
        data-shape-count={shapes.length}
        onPointerDown={(event) => {
          pointerType.current = event.pointerType;
        }}
        onClick={onMapClick}
      >
        <defs>
          <pattern id="missing" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#f4f4f4" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#999" strokeWidth="2" />
          </pattern>
        </defs>
        {shapes.map((shape) => {
          const { region, d, value } = shape;
          const classIndex = classOf(value);
          const fill = fillOf(value);
          const missing = fill === null;
          const label = labelOf(shape);
          const faded = highlight !== null && classIndex !== highlight;
          return (
            <path
              key={region.code}
              d={d}
              className={`region${missing ? ' missing' : ''}${selected === region.code ? ' selected' : ''}${faded ? ' faded' : ''}`}
              fill={fill ?? 'url(#missing)'}
              // Through a custom property: the hover, focus and selection outlines of the style sheet still win.
              style={fill ? ({ '--outline': outlineOf(fill) } as CSSProperties) : undefined}
              data-region-code={region.code}
              data-value={value === null ? '' : String(value)}
              data-missing={missing ? 'true' : undefined}
              data-class={missing ? undefined : classIndex}
              tabIndex={region.code === tabStop ? 0 : -1}
              role="button"
              aria-label={label}
              onMouseEnter={() => {
                setHovered(region.code);
                setDismissed(false);
              }}
              onMouseLeave={(event) => {
                // The pointer may move onto the details without them going (WCAG 1.4.13, hoverable).
                if (event.relatedTarget instanceof Node && tooltip.current?.contains(event.relatedTarget)) return;
                setHovered((current) => (current === region.code ? null : current));
              }}
              onFocus={() => {
                setFocused(region.code);
                setActive(region.code);
                if (quietFocus.current === region.code) {
                  quietFocus.current = null;
                  return;
                }
                setHovered(region.code);
                setDismissed(false);
              }}
              onBlur={(event) => {
                setFocused((current) => (current === region.code ? null : current));
                // Tab from a shape reaches its details' close button: the details stay while the focus is on it.
                if (event.relatedTarget instanceof Node && tooltip.current?.contains(event.relatedTarget)) return;
                setHovered((current) => (current === region.code ? null : current));
              }}
              onKeyDown={(event) => onShapeKey(event, shape)}
            >
              <title>{label}</title>
            </path>
          );
        })}
        {/* Bremen and Hamburg are no part of the state: named, so that their blank is not read as a region without data. */}
        <g className="neighbours" aria-hidden="true">
          {labels.map((label) => (
            <text key={label.id} x={label.x} y={label.y} data-neighbour={label.id} textAnchor="middle" dominantBaseline="middle">
              {label.name}
            </text>
          ))}
        </g>
        {focusedShape && (
          <g className="focus-ring" aria-hidden="true">
            <path d={focusedShape.d} className="focus-ring-outer" />
            <path d={focusedShape.d} className="focus-ring-inner" />
          </g>
        )}
      </svg>
      {nearby && (
        <div className="nearby" role="group" aria-label="Regionen unter dem Finger">
          <p>Welche Region ist gemeint?</p>
          <ul>
            {nearby.map((code, index) => {
              const region = shapes.find((shape) => shape.region.code === code)?.region;
              return (
                <li key={code} data-region-code={code}>
                  <button
                    type="button"
                    className="link"
                    ref={index === 0 ? firstNearby : undefined}
                    onClick={() => {
                      setNearby(null);
                      onSelect(code);
                    }}
                  >
                    {region ? searchLabel(region) : code}
                  </button>
                </li>
              );
            })}
          </ul>
          <button type="button" onClick={() => setNearby(null)}>
            Abbrechen
          </button>
        </div>
      )}
      {hoveredShape && (
        <div
          ref={tooltip}
          className="tooltip"
          role="group"
          aria-label="Details"
          data-region-code={hoveredShape.region.code}
          onMouseLeave={(event) => {
            // Onto a shape, whose own details follow; anywhere else, those shown by the pointer go (not while the focus is within).
            if (tooltip.current?.contains(document.activeElement)) return;
            if (!(event.relatedTarget instanceof SVGPathElement && event.relatedTarget.dataset.regionCode)) setHovered(null);
          }}
          onBlur={(event) => {
            // The focus moving on past the details (to the legend): those shown by the focus go, as on leaving a shape.
            if (event.relatedTarget instanceof Node && tooltip.current?.contains(event.relatedTarget)) return;
            const code = hoveredShape.region.code;
            setHovered((current) => (current === code ? null : current));
          }}
        >
          {/* The Tab stop after the map's: reached from the shape whose details these are, which they stay for. */}
          <button type="button" className="tooltip-close" onClick={closeDetails}>
            <span aria-hidden="true">×</span>
            <span className="visually-hidden">Details zu {hoveredShape.region.name} schließen</span>
          </button>
          <strong className="tooltip-name">{hoveredShape.region.name}</strong>
          <span className="tooltip-type">{hoveredShape.region.officialType}</span>
          <span className="tooltip-value" data-value={hoveredShape.value ?? ''}>
            {hoveredShape.value === null || !scale ? 'keine Angabe' : scale.format(hoveredShape.value)}
          </span>
          {hoveredShape.value !== null && hoveredShape.region.aggregated && <span className="tooltip-aggregated">{AGGREGATED_NOTE}</span>}
          {hoveredShape.value === null && hoveredShape.region.missingReason && (
            <span className="tooltip-reason">{hoveredShape.region.missingReason}</span>
          )}
          <span className="tooltip-rank">{hoveredShape.rank ? rankLabel(hoveredShape.rank) : 'ohne Rang'}</span>
        </div>
      )}
      <div className="legend" role="group" aria-label="Legende" id="map-legend" ref={legend} tabIndex={-1}>
        <strong>{legendTitle}</strong>
        <ul>
          {scale?.legend.map((line) => (
            <li key={line.index} data-class={line.index}>
              <button
                type="button"
                className="legend-class"
                aria-pressed={highlight === line.index}
                onClick={() => setHighlight((current) => (current === line.index ? null : line.index))}
              >
                <span className="swatch" style={{ background: line.colour }} />
                {line.label}
              </button>
            </li>
          ))}
          {/* Only when a region is drawn as missing: a legend line for nothing shown misleads. */}
          {shapes.some((shape) => classOf(shape.value) === null) && (
            <li data-class="missing">
              <span className="swatch missing-swatch" />
              keine Angabe
            </li>
          )}
        </ul>
        {scale && <small>{scale.note}</small>}
        {scale && (
          <small className="legend-hint" role="status">
            {highlight === null
              ? 'Eine Klasse wählen, um ihre Regionen hervorzuheben.'
              : `Hervorgehoben: ${scale.legend[highlight]?.label ?? ''}, ${shapes.filter((shape) => classOf(shape.value) === highlight).length} Regionen; die übrigen blass.`}
          </small>
        )}
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
          {tableText}
        </a>
      </p>
      {exportInfo && (
        <p className="map-export">
          {/* For a press release or a council paper: the map with its title, legend and sources as one file. */}
          <button type="button" className="map-export-svg" onClick={() => void onExport(exportInfo, 'svg')}>
            Karte als SVG herunterladen
          </button>{' '}
          <button type="button" className="map-export-png" onClick={() => void onExport(exportInfo, 'png')}>
            Karte als PNG herunterladen
          </button>
          {exportFailed && <span role="alert"> Die Datei konnte nicht erzeugt werden.</span>}
        </p>
      )}
      <p className="attribution">
        Daten: {attribution}. Grenzen:{' '}
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
