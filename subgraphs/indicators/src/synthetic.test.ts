// The synthetic indicators stand beside the official ones in every list, chart and CSV, so their units
// are written as the official catalogue writes its units: German words (Personen, Fahrzeuge,
// Wohnungen), rates as "je 1.000 Einwohner", and unit symbols (%, min, m) as they are.
import { SYNTHETIC_INDICATORS } from './synthetic';

describe('the units of the synthetic indicators', () => {
  it('are German, in the style of the official catalogue', () => {
    expect(Object.fromEntries(SYNTHETIC_INDICATORS.map((indicator) => [indicator.code, indicator.unit]))).toEqual({
      travel_time_motorway_min: 'min',
      public_transport_departures: 'Abfahrten je Tag',
      ev_charging_points: 'Ladepunkte',
      general_schools: 'Schulen',
      retail_centrality: 'Index',
      distance_supermarket_m: 'm',
      pharmacies: 'Apotheken',
      travel_time_hospital_min: 'min',
      births_per_1000: 'je 1.000 Einwohner',
      net_migration_per_1000: 'je 1.000 Einwohner',
      business_registrations: 'Anmeldungen',
      overnight_stays: 'Übernachtungen',
      renewable_electricity_share: '%',
    });
  });
});
