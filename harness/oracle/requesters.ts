/**
 * Who sends a request, and what that makes of it. The Fetch Standard's CORS protocol runs on three
 * of a request's fields – its mode, its credentials mode and its destination – and each API or
 * element that fetches sets them in its own standard (HTML, CSS Fonts). This module is that table
 * and nothing else; fetch.ts runs the protocol on what it returns.
 */
import type { Client, CredentialsMode, CrossOriginAttribute, ProbeInput } from './types';

/** The request fields the CORS protocol reads (Fetch #concept-request-mode, #concept-request-credentials-mode, #concept-request-destination). */
export interface RequestModes {
  /** `no-cors`: the response is opaque when cross-origin – no preflight, no CORS check, nothing readable (Fetch #main-fetch step "opaque"). */
  mode: 'cors' | 'no-cors';
  credentials: CredentialsMode;
  /** Fetch #concept-request-destination: `''` for fetch(), XHR and EventSource. */
  destination: '' | 'image' | 'script' | 'style' | 'font' | 'worker';
  /**
   * Whether the page can read the status and headers at all: fetch() and XHR (also in a worker)
   * can; an element or EventSource only loads, runs, applies or fails, so the oracle predicts the
   * outcome and the wire and nothing of status or headers.
   */
  readsResponse: boolean;
  /** Where the fields come from (HTML, CSS Fonts or XHR), for the trace and the reports. */
  section: string;
}

/** Every requester, in the order the reports list them. */
export const CLIENTS: readonly Client[] = [
  'fetch',
  'xhr',
  'worker',
  'img',
  'script',
  'module',
  'import',
  'stylesheet',
  'font',
  'eventsource',
  'module-worker',
];

/** What each requester is, in the words of a page author. */
export const CLIENT_TITLES: Readonly<Record<Client, string>> = {
  fetch: 'fetch()',
  xhr: 'XMLHttpRequest',
  worker: 'fetch() in a dedicated worker',
  img: '<img>',
  script: 'classic <script>',
  module: '<script type="module">',
  import: 'dynamic import()',
  stylesheet: '<link rel="stylesheet">',
  font: '@font-face',
  eventsource: 'EventSource',
  'module-worker': 'a module worker importing the URL',
};

/**
 * Whether the requester sends what the page asks – a method, headers, a body: fetch() and XHR, also
 * in a worker. Every other one (an element, EventSource, a module graph) sends a plain GET.
 */
export function sendsPageRequest(client: Client): boolean {
  return client === 'fetch' || client === 'xhr' || client === 'worker';
}

/** Whether `client` names a requester the project knows. */
export function isClient(s: string): s is Client {
  return (CLIENTS as readonly string[]).includes(s);
}

/** Requesters that take a CORS settings attribute (HTML #cors-settings-attribute). */
export function takesCrossOrigin(client: Client): boolean {
  return client === 'img' || client === 'script' || client === 'module' || client === 'stylesheet';
}

/**
 * HTML #create-a-potential-cors-request: no `crossorigin` attribute is mode `no-cors` with
 * credentials `include`; `anonymous` is `cors` with `same-origin`; `use-credentials` is `cors` with
 * `include`. (`defaultNoCors` false: module scripts, whose missing attribute means anonymous.)
 */
function potentialCors(attribute: CrossOriginAttribute | undefined, defaultNoCors: boolean): Pick<RequestModes, 'mode' | 'credentials'> {
  if (attribute === 'use-credentials') return { mode: 'cors', credentials: 'include' };
  if (attribute === 'anonymous' || !defaultNoCors) return { mode: 'cors', credentials: 'same-origin' };
  return { mode: 'no-cors', credentials: 'include' };
}

/** One way a page can use a requester: its crossorigin attribute, or the credentials it asks for. */
export interface RequesterForm {
  client: Client;
  crossorigin?: CrossOriginAttribute;
  /** `include` where the API lets the page ask for credentials (withCredentials, credentials: "include"). */
  credentials?: 'include';
}

/**
 * Every form of a requester a page can use: an element in each crossorigin state it takes (a
 * module script has no no-cors state: no attribute is anonymous), an API with and without
 * credentials where it has the choice; a font and import() have one form. The protocol suite's
 * requester cases and `verify --as` both go through these.
 */
export function requesterForms(client: Client): RequesterForm[] {
  if (client === 'module') return [{ client }, { client, crossorigin: 'use-credentials' }];
  if (takesCrossOrigin(client)) return [{ client }, { client, crossorigin: 'anonymous' }, { client, crossorigin: 'use-credentials' }];
  if (client === 'font' || client === 'import') return [{ client }];
  return [{ client }, { client, credentials: 'include' }];
}

/** The mode, credentials mode and destination of the request `input` describes. */
export function requestModes(input: Pick<ProbeInput, 'client' | 'credentials' | 'crossorigin'>): RequestModes {
  const client = input.client ?? 'fetch';
  const reading = { readsResponse: true, destination: '' as const };
  const loading = { readsResponse: false };
  switch (client) {
    case 'fetch':
    case 'worker':
      // The page's (or the worker's, whose origin is the page's) fetch() with mode "cors".
      return { ...reading, mode: 'cors', credentials: input.credentials ?? 'same-origin', section: 'Fetch #dom-global-fetch' };
    case 'xhr':
      // XHR #dom-xmlhttprequest-withcredentials: mode "cors"; credentials "include" with withCredentials, else "same-origin".
      return {
        ...reading,
        mode: 'cors',
        credentials: input.credentials === 'include' ? 'include' : 'same-origin',
        section: 'XHR #dom-xmlhttprequest-withcredentials',
      };
    case 'img':
      return { ...loading, ...potentialCors(input.crossorigin, true), destination: 'image', section: 'HTML #update-the-image-data' };
    case 'script':
      return { ...loading, ...potentialCors(input.crossorigin, true), destination: 'script', section: 'HTML #prepare-the-script-element' };
    case 'module':
      // HTML #prepare-the-script-element: a module script's request is always CORS; no attribute means anonymous.
      return { ...loading, ...potentialCors(input.crossorigin, false), destination: 'script', section: 'HTML #fetch-a-module-script-tree' };
    case 'import':
      // HTML #hostloadimportedmodule: from a classic script of the page, the default script fetch
      // options – mode "cors", credentials "same-origin".
      return { ...loading, mode: 'cors', credentials: 'same-origin', destination: 'script', section: 'HTML #hostloadimportedmodule' };
    case 'stylesheet':
      return { ...loading, ...potentialCors(input.crossorigin, true), destination: 'style', section: 'HTML #link-type-stylesheet' };
    case 'font':
      // CSS Fonts 4 #font-fetching-requirements: fonts are fetched in mode "cors" with credentials
      // "same-origin", whatever the page says.
      return {
        ...loading,
        mode: 'cors',
        credentials: 'same-origin',
        destination: 'font',
        section: 'CSS Fonts 4 #font-fetching-requirements',
      };
    case 'eventsource':
      // HTML #dom-eventsource: anonymous, or use-credentials with withCredentials.
      return {
        ...loading,
        mode: 'cors',
        credentials: input.credentials === 'include' ? 'include' : 'same-origin',
        destination: '',
        section: 'HTML #dom-eventsource',
      };
    case 'module-worker':
      // HTML #fetch-a-module-worker-script-tree: every script of the graph in mode "cors", with the
      // Worker's `credentials` option (default "same-origin").
      return {
        ...loading,
        mode: 'cors',
        credentials: input.credentials ?? 'same-origin',
        destination: 'worker',
        section: 'HTML #fetch-a-module-worker-script-tree',
      };
  }
}
