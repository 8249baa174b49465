import type { DemoFirm } from '../demo/seed-demo.js';

/** Builds the body of the demo PUT: a new label and number for Ada's direct line, primary for her. */
export function demoUpdateBody(demo: DemoFirm): string {
  return JSON.stringify({
    name: 'Work phone number',
    value: '+441134960456',
    account_uuids: [demo.clients.ada],
    primary_account_uuids: [demo.clients.ada],
  });
}

/** Writes the demo PUT as a curl command in the layout of Plannr's documentation. */
export function formatDemoCurl(baseUrl: string, demo: DemoFirm): string {
  return [
    'curl \\',
    ` --request PUT '${baseUrl}/api/v2/contact-details/${demo.directLineDetailId}' \\`,
    ` --header "Authorization: Bearer ${demo.token}" \\`,
    ' --header "Content-Type: application/json" \\',
    ` --header "X-PLANNR-ACCOUNT-UUID: ${demo.adviserAccountId}" \\`,
    ` --data '${demoUpdateBody(demo)}'`,
  ].join('\n');
}

/** Returns the URL a local client reaches a server on, given the address it listens on. */
export function localBaseUrl(host: string, port: number): string {
  const wildcards: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };
  const reachable = wildcards[host] ?? host;
  const literal = reachable.includes(':') ? `[${reachable}]` : reachable;

  return `http://${literal}:${port}`;
}
