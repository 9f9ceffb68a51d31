/** An error of a GraphQL answer, as far as the Atlas reads it. */
export interface ApiError {
  message: string;
  /** `reason`: why a BAD_USER_INPUT refused an argument (InputRefusalReason in shared). */
  extensions?: { code?: string; reason?: string };
}

/**
 * What the Atlas shows for a failure: German text, and the words of the API (English, as every error
 * message of the API is) as a detail to quote when reporting it.
 */
export interface Failure {
  /** German: what went wrong, a sentence per kind of error. */
  text: string;
  /** The API's own messages, each once; empty when the Atlas has nothing to quote. */
  details: readonly string[];
}

/**
 * German for every stable code the API answers with (`errors[].extensions.code`): the subgraphs'
 * (shared's ErrorCode), the gateway's own (GatewayErrorCode) and Apollo Server's. errors.test.ts reads
 * those enums: a code added to one of them fails there until it has its German text here.
 */
export const ERROR_TEXTS: Readonly<Record<string, string>> = {
  // The subgraphs' (ErrorCode in shared).
  BAD_USER_INPUT: 'Die API lehnt die Anfrage ab: eine Angabe ist ungültig.',
  NOT_FOUND: 'Das Angefragte gibt es nicht.',
  UNKNOWN_REGION_CODES: 'Unbekannter Regionalschlüssel.',
  UNKNOWN_INDICATOR_CODES: 'Unbekannter Indikator.',
  TOO_MANY_ITEMS: 'Zu viele Einträge auf einmal angefragt.',
  RESPONSE_TOO_LARGE: 'Die Antwort wäre zu groß: bitte weniger auf einmal anfragen.',
  REQUEST_ABANDONED: 'Die Anfrage wurde abgebrochen.',
  UNAUTHENTICATED: 'Anmeldung erforderlich.',
  FORBIDDEN: 'Keine Berechtigung dafür.',
  VERSION_CONFLICT: 'Der Eintrag wurde inzwischen geändert.',
  IDEMPOTENCY_KEY_REUSED: 'Der Idempotenzschlüssel gehört schon zu einer anderen Änderung.',
  REFERENCE_CHECK_UNAVAILABLE: 'Ein Verweis ließ sich gerade nicht prüfen; nichts wurde gespeichert.',
  QUERY_TOO_DEEP: 'Die Anfrage ist zu tief verschachtelt.',
  DATABASE_TIMEOUT: 'Die Datenbank hat nicht rechtzeitig geantwortet.',
  // The gateway's own (GatewayErrorCode).
  TOO_MANY_ALIASES: 'Die Anfrage enthält zu viele Aliasse.',
  TOO_MANY_DIRECTIVES: 'Die Anfrage enthält zu viele Direktiven.',
  TOO_MANY_TOKENS: 'Die Anfrage ist zu lang.',
  QUERY_TOO_COSTLY: 'Die Anfrage ist zu aufwendig.',
  OPERATION_NOT_REGISTERED: 'Die Anfrage ist bei der API nicht registriert.',
  SAFELIST_UNAVAILABLE: 'Die API kann ihre registrierten Anfragen gerade nicht prüfen.',
  PERSISTED_QUERY_HASH_MISMATCH: 'Die Anfrage passt nicht zu ihrem Hashwert.',
  SUBGRAPH_UNAVAILABLE: 'Ein Dienst der API antwortet gerade nicht.',
  DOCUMENT_LIMITS_MISMATCH: 'Ein Dienst der API ist anders eingestellt als das Gateway (Schachtelungstiefe).',
  RATE_LIMITED: 'Zu viele Anfragen in kurzer Zeit.',
  OVERLOADED: 'Die API ist gerade überlastet.',
  INVALID_API_KEY: 'Ungültiger API-Schlüssel.',
  CONFLICTING_CREDENTIALS: 'Widersprüchliche Zugangsdaten.',
  API_KEYS_UNAVAILABLE: 'Die API kann API-Schlüssel gerade nicht prüfen.',
  // Apollo Server's (ApolloServerErrorCode), which the gateway passes on.
  GRAPHQL_PARSE_FAILED: 'Die Anfrage ist kein gültiges GraphQL.',
  GRAPHQL_VALIDATION_FAILED: 'Die Anfrage passt nicht zum Schema der API.',
  PERSISTED_QUERY_NOT_FOUND: 'Die gespeicherte Anfrage ist der API unbekannt.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'Die API nimmt keine gespeicherten Anfragen an.',
  OPERATION_RESOLUTION_FAILURE: 'Die Anfrage nennt keine eindeutige Operation.',
  BAD_REQUEST: 'Ungültige HTTP-Anfrage.',
  INTERNAL_SERVER_ERROR: 'Interner Fehler der API.',
};

/**
 * German for every reason the API gives beside BAD_USER_INPUT (`errors[].extensions.reason`, shared's
 * InputRefusalReason): what the user chose that the API refuses, where the code's text could only say
 * that something was invalid. errors.test.ts reads the enum: a new reason fails there until it has its text.
 */
export const REASON_TEXTS: Readonly<Record<string, string>> = {
  NOT_ADDITIVE:
    'Eine Summe über die Regionen (etwa die Bevölkerung) lässt sich so nicht vergleichen: bitte eine Quote, einen Anteil oder einen Wert je Einwohner wählen.',
  SEARCH_WITHOUT_LETTER_OR_DIGIT: 'Die Suche braucht mindestens einen Buchstaben oder eine Ziffer.',
  SEARCH_TOO_LONG: 'Der Suchtext ist zu lang.',
  NOT_A_REGION_CODE: 'Das ist kein Regionalschlüssel (ARS) Niedersachsens; ein Gemeindeschlüssel (AGS) oder NUTS-Code ist keiner.',
  NO_REGIONS_AT_LEVEL: 'Unterhalb dieser Region gibt es keine Regionen der gewählten Ebene.',
  PARENT_NOT_ABOVE: 'Die Region, in der verglichen wird, liegt nicht über der gewählten Region oder Ebene.',
};

/** For an error without a code, or with one the Atlas does not know (a newer API). */
export const UNKNOWN_ERROR_TEXT = 'Unerwarteter Fehler der API.';

/** The German of one error's code. */
export function errorCodeText(code: string | undefined): string {
  return (code !== undefined && Object.hasOwn(ERROR_TEXTS, code) ? ERROR_TEXTS[code] : undefined) ?? UNKNOWN_ERROR_TEXT;
}

/** The German of one error: its reason's when the Atlas knows it (a newer API's may be new), else its code's. */
export function errorText(error: ApiError): string {
  const reason = error.extensions?.reason;
  if (error.extensions?.code === 'BAD_USER_INPUT' && reason !== undefined && Object.hasOwn(REASON_TEXTS, reason))
    return REASON_TEXTS[reason]!;
  return errorCodeText(error.extensions?.code);
}

/**
 * What the Atlas shows for the errors of an answer: each code's (or reason's) German once, each message once. A
 * field that fails for every region of the map (an unknown indicator in a link) reports one error per region.
 */
export function failureOf(errors: readonly ApiError[] | undefined): Failure {
  if (!errors?.length) return { text: 'Keine Antwort.', details: [] };
  return {
    text: [...new Set(errors.map(errorText))].join(' '),
    details: [...new Set(errors.map((error) => error.message))],
  };
}
