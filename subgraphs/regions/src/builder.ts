import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { RegionsContext } from './context';
import { DATE_SCALAR } from '@regiograph/shared';

export interface GeoJsonGeometry {
  type: string;
  coordinates: unknown;
}

export const builder = new SchemaBuilder<{
  Context: RegionsContext;
  Scalars: {
    Date: { Input: Date; Output: Date };
    GeoJSON: { Input: GeoJsonGeometry; Output: GeoJsonGeometry };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
});

builder.scalarType('Date', DATE_SCALAR);

builder.scalarType('GeoJSON', {
  description: 'A GeoJSON geometry object (RFC 7946), coordinates in WGS84 longitude/latitude.',
  serialize: (geometry) => geometry,
  parseValue: () => {
    throw new TypeError('GeoJSON is an output type only.');
  },
});

// Root types carry no description: composition would have to pick one of the subgraphs' texts.
builder.queryType({});
