// A partner linking its records to regions by the keys it holds: a municipality's AGS, a county key
// a merger dissolved, a key a spreadsheet took for a number, a key with spaces around it. Both
// write subgraphs refuse (or read) them alike, in the words the read arguments use, so the partner
// learns which key to send.
import { testBearer } from '@regiograph/shared/testing';
import { startStack, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

const PARTNER = testBearer({ sub: 'partner-region-codes-test', scopes: ['projects:write', 'cooperations:write'] });

interface InputError {
  field: string;
  code: string;
  message: string;
}

async function createProject(regionCode: string): Promise<{ regions: string[] | null; errors: InputError[] }> {
  const answer = await stack.query<{
    createProject: { project: { regions: { region: { code: string } }[] } | null; errors: InputError[] };
  }>(
    `mutation ($input: CreateProjectInput!) {
      createProject(input: $input) { project { regions { region { code } } } errors { field code message } }
    }`,
    {
      input: {
        title: 'Partner-Schlüssel Projekt',
        summary: 'Written by the partner-region-codes test.',
        kind: 'STUDY',
        topics: ['MOBILITY'],
        startDate: '2024-03-01',
        regions: [{ regionCode, role: 'LEAD' }],
      },
    },
    PARTNER,
  );
  expect(answer.errors).toBeUndefined();
  const { project, errors } = answer.data!.createProject;
  return { regions: project ? project.regions.map((region) => region.region.code) : null, errors };
}

async function createCooperation(regionCode: string): Promise<{ members: string[] | null; errors: InputError[] }> {
  const answer = await stack.query<{
    createCooperation: { cooperation: { members: { region: { code: string } }[] } | null; errors: InputError[] };
  }>(
    `mutation ($input: CreateCooperationInput!) {
      createCooperation(input: $input) { cooperation { members { region { code } } } errors { field code message } }
    }`,
    {
      input: {
        name: 'Partner-Schlüssel Kooperation',
        kind: 'INTER_MUNICIPAL',
        founded: '2021-01-01',
        members: [{ regionCode, role: 'LEAD', validFrom: '2021-01-01' }],
      },
    },
    PARTNER,
  );
  expect(answer.errors).toBeUndefined();
  const { cooperation, errors } = answer.data!.createCooperation;
  return { members: cooperation ? cooperation.members.map((member) => member.region.code) : null, errors };
}

/** The one refusal both subgraphs give a code, at their own field. */
async function refusedAlike(regionCode: string): Promise<string> {
  const project = await createProject(regionCode);
  const cooperation = await createCooperation(regionCode);
  expect(project).toEqual({
    regions: null,
    errors: [expect.objectContaining({ field: 'input.regions[0].regionCode', code: 'UNKNOWN_REGION' })],
  });
  expect(cooperation).toEqual({
    members: null,
    errors: [expect.objectContaining({ field: 'input.members[0].regionCode', code: 'UNKNOWN_REGION' })],
  });
  expect(cooperation.errors[0]!.message).toBe(project.errors[0]!.message);
  return project.errors[0]!.message;
}

describe('a partner naming regions by the keys it holds, in writes', () => {
  it("is told the ARS of a municipality's AGS", async () => {
    expect(await refusedAlike('03241001')).toBe(
      'The code "03241001" is an AGS (Amtlicher Gemeindeschlüssel), not an ARS: Hannover has the ARS "032410001001".',
    );
  });

  it("is told the ARS of a county's NUTS code, as EU funding data name counties, in writes and in regionsByCodes alike", async () => {
    // A partner holding EFRE/ELER records by NUTS-3 was told only that DE929 is no ARS.
    const sentence = '"DE929" is a NUTS code, not an ARS: Region Hannover has the ARS "03241".';
    expect(await refusedAlike('DE929')).toBe(`The code ${sentence}`);
    const read = await stack.query(`query { regionsByCodes(codes: ["DE929", "de91", "03241"]) { code nuts } }`);
    expect(read.data).toEqual({ regionsByCodes: [null, null, { code: '03241', nuts: 'DE929' }] });
    expect(read.errors).toEqual([
      expect.objectContaining({
        message: `Code ${sentence}`,
        path: ['regionsByCodes', 0],
        extensions: expect.objectContaining({ ars: '03241' }),
      }),
      expect.objectContaining({
        message: 'Code "de91" is a NUTS code, not an ARS: Braunschweig has the ARS "031".',
        path: ['regionsByCodes', 1],
        extensions: expect.objectContaining({ ars: '031' }),
      }),
    ]);
  });

  it('is told the successor of a county key a merger dissolved, and since when', async () => {
    expect(await refusedAlike('03152')).toBe(
      'Region "03152" does not exist: 03152 was the key of Landkreis Göttingen, dissolved by a merger: since 2016-11-01 its area belongs to 03159 (Göttingen).',
    );
  });

  it('is asked whether a key lost its leading zero, in writes and in regionsByCodes alike', async () => {
    const sentence =
      '"3241" is not an ARS code of Lower Saxony (03, 031–034, 5, 9 or 12 digits starting with 03). Has it lost its leading zero? "03241" is Region Hannover.';
    expect(await refusedAlike('3241')).toBe(`The code ${sentence}`);
    const read = await stack.query(`query { regionsByCodes(codes: ["3241", "03241"]) { code } }`);
    expect(read.data).toEqual({ regionsByCodes: [null, { code: '03241' }] });
    expect(read.errors).toEqual([expect.objectContaining({ message: `Code ${sentence}`, path: ['regionsByCodes', 0] })]);
  });

  it('is told plainly that a well-formed key nobody holds is no region, in the same words by both', async () => {
    expect(await refusedAlike('03999')).toBe('"03999" is not the ARS code of a region of Lower Saxony.');
  });

  it('has the spaces around a key dropped by both subgraphs, and the key stored without them', async () => {
    expect(await createProject(' 03459 ')).toEqual({ regions: ['03459'], errors: [] });
    expect(await createCooperation(' 03459 ')).toEqual({ members: ['03459'], errors: [] });
  });

  it('is told the key without its spaces when a read refuses it, in regionsByCodes and the list filters', async () => {
    const sentence =
      '" 03459 " is not an ARS code of Lower Saxony (03, 031–034, 5, 9 or 12 digits starting with 03). Without the spaces around it, "03459" is Osnabrück.';
    const read = await stack.query(`query { regionsByCodes(codes: [" 03459 ", "03241"]) { code } }`);
    expect(read.data).toEqual({ regionsByCodes: [null, { code: '03241' }] });
    expect(read.errors).toEqual([expect.objectContaining({ message: `Code ${sentence}`, path: ['regionsByCodes', 0] })]);
    const filtered = await stack.query(`query { projects(filter: { regionCode: " 03459 " }, first: 1) { nodes { id } } }`);
    expect(filtered.errors?.[0]?.message).toBe(`filter.regionCode ${sentence}`);
  });
});

describe('a partner naming regions by the keys it holds, in list filters', () => {
  const PROJECTS = `query ($code: ID!) { projects(filter: { regionCode: $code }, first: 1) { nodes { id } } }`;
  const COOPERATIONS = `query ($code: ID!) { cooperations(filter: { memberRegion: $code }, first: 1) { nodes { id } } }`;

  /** The error of each list for one code, without what differs by list (argument, service). */
  async function refusals(code: string): Promise<unknown[]> {
    const answers = [await stack.query(PROJECTS, { code }), await stack.query(COOPERATIONS, { code })];
    return answers.map((answer) => {
      expect(answer.data).toBeNull();
      expect(answer.errors).toHaveLength(1);
      const { message, extensions } = answer.errors![0]!;
      const { code: errorCode, codes, ars, successors } = extensions as Record<string, unknown>;
      return {
        message: message.replace(/^filter\.\w+ /, '').replace(/in filter\.\w+/, 'in the filter'),
        errorCode,
        codes,
        ars,
        successors,
      };
    });
  }

  it('are refused by projects as by cooperations: an AGS names its ARS, a dissolved key its successor, an unknown key is no empty list', async () => {
    for (const code of ['03241001', 'DE929', '03152', '03999']) {
      const [projects, cooperations] = await refusals(code);
      expect(projects).toEqual(cooperations);
    }
    expect((await refusals('03241001'))[0]).toMatchObject({ errorCode: 'BAD_USER_INPUT', ars: { '03241001': '032410001001' } });
    expect((await refusals('DE929'))[0]).toMatchObject({ errorCode: 'BAD_USER_INPUT', ars: { DE929: '03241' } });
    expect((await refusals('03152'))[0]).toMatchObject({
      errorCode: 'UNKNOWN_REGION_CODES',
      successors: { '03152': { codes: ['03159'], since: '2016-11-01' } },
    });
    expect((await refusals('03999'))[0]).toMatchObject({ errorCode: 'UNKNOWN_REGION_CODES', codes: ['03999'] });
  });
});
