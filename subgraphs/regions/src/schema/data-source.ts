import type { RegionDataSource } from '@regiograph/db';
import { builder } from '../builder';

export const DataSourceType = builder.objectRef<RegionDataSource>('RegionDataSource').implement({
  description: 'Where region records come from, with the attribution their licence requires.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier of the source.' }),
    publisher: t.exposeString('publisher', { description: 'Who publishes the data.' }),
    title: t.exposeString('title', { description: 'Title of the data set.' }),
    licence: t.exposeString('licence', { description: 'Licence of the data set.' }),
    licenceUrl: t.exposeString('licenceUrl', { description: 'Where the licence text is.' }),
    url: t.exposeString('url', { description: 'Where the data set is published.' }),
    attribution: t.exposeString('attribution', { description: 'The attribution to show wherever the data is shown.' }),
    referenceDate: t.expose('referenceDate', { type: 'Date', description: 'The date the data describes.' }),
    official: t.exposeBoolean('official', { description: 'True for official data, false for synthetic demonstration data.' }),
  }),
});
