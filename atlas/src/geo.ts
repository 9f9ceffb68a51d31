import { geoArea, geoContains, geoTransverseMercator, type GeoProjection } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

/** Said on an exported map: how its boundaries are drawn. */
export const PROJECTION_NOTE = 'Kartenprojektion: Transversale Mercatorprojektion, Mittelmeridian 9° Ost (wie ETRS89 / UTM Zone 32N)';

/**
 * The projection of Lower Saxony's official maps (the LGLN's ETRS89 / UTM zone 32N: a transverse Mercator
 * on the meridian 9° East, on the sphere here), fitted to the regions. Conformal like Mercator, but
 * also true to area within 0.1 % across the state, where Mercator draws the North Sea coast 10 % larger
 * than the Harz: on a choropleth a region's size is part of what the eye weighs.
 */
export function mapProjection(regions: FeatureCollection, width: number, height: number): GeoProjection {
  return geoTransverseMercator().rotate([-9, 0]).fitSize([width, height], regions);
}

/**
 * d3-geo draws spherical polygons and takes the ring order of GeoJSON (RFC 7946: exterior rings
 * counter-clockwise) for the inverse (the whole globe minus the region). Rings are reversed where the
 * area shows that, so fitting and drawing work whatever order the boundaries come in.
 */
export function rewound(feature: Feature<Geometry>): Feature<Geometry> {
  if (geoArea(feature) <= 2 * Math.PI) return feature;
  const geometry = feature.geometry;
  if (geometry.type === 'Polygon') {
    return { ...feature, geometry: { ...geometry, coordinates: geometry.coordinates.map((ring) => [...ring].reverse()) } };
  }
  if (geometry.type === 'MultiPolygon') {
    return {
      ...feature,
      geometry: { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => [...ring].reverse())) },
    };
  }
  return feature;
}

/**
 * The city-states within and beside Lower Saxony, named where the map would otherwise show a blank: the
 * Land Bremen (Bremen and Bremerhaven, enclaves) and Hamburg are not part of the state, and a reader of
 * a blank might take it for a region without data or for the state's own.
 */
export const NEIGHBOURS: readonly { id: string; name: string; at: [number, number] }[] = [
  { id: 'bremen', name: 'Bremen', at: [8.8, 53.08] },
  { id: 'bremerhaven', name: 'Bremerhaven', at: [8.58, 53.55] },
  { id: 'hamburg', name: 'Hamburg', at: [10, 53.57] },
];

/** A label the map draws on its grid: the name of a place outside the regions shown. */
export interface MapLabel {
  id: string;
  name: string;
  x: number;
  y: number;
}

/** The neighbours whose place lies on the map's grid (with a margin for the name) and in none of its regions. */
export function neighbourLabels(regions: FeatureCollection, projection: GeoProjection, width: number, height: number): MapLabel[] {
  return NEIGHBOURS.flatMap(({ id, name, at }) => {
    const point = projection(at);
    if (!point) return [];
    const [x, y] = point;
    const margin = 20;
    if (x < margin || x > width - margin || y < margin || y > height - margin) return [];
    if (regions.features.some((feature) => geoContains(feature, at))) return [];
    return [{ id, name, x, y }];
  });
}
