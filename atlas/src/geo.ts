import { geoArea } from 'd3-geo';
import type { Feature, Geometry } from 'geojson';

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
