import { geoArea, geoTransverseMercator, type GeoProjection } from 'd3-geo';
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
