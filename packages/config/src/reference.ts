/**
 * The configuration reference in Markdown, generated from the declarations (README.md's "Configuration"
 * section and `baton <role> --help` come from here, so the documentation cannot drift from the parser).
 */
import { fileVariant, type Variables } from './parse.js';
import type { Variable } from './variable.js';

export interface ReferenceSection {
  title: string;
  variables: Variables;
}

/** One table per section; a variable shared by several sections is listed in the first. */
export function renderReference(sections: readonly ReferenceSection[], rolesOf: (name: string) => readonly string[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const section of sections) {
    const rows = Object.entries(section.variables).filter(([name]) => !seen.has(name));
    if (rows.length === 0) continue;
    out.push(`### ${section.title}`, '', '| Variable | Roles | Default | Description |', '| --- | --- | --- | --- |');
    for (const [name, variable] of rows) {
      seen.add(name);
      out.push(`| \`${name}\` | ${rolesOf(name).join(', ')} | ${cell(variable.defaultText ?? '')} | ${cell(describe(name, variable))} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** The description, the expected form, an example and, for a secret, its file variant. */
export function describe(name: string, variable: Variable<unknown>): string {
  const parts = [variable.description.trim()];
  parts.push(`Example: \`${variable.example}\`.`);
  if (variable.secret) parts.push(`Secret: may be given as a file path in \`${fileVariant(name)}\`.`);
  return parts.join(' ');
}

/** Plain-text lines for a terminal (`baton <role> --help`). */
export function renderPlain(variables: Variables): string {
  return Object.entries(variables)
    .map(([name, v]) => `  ${name}${v.defaultText ? ` (default ${v.defaultText.replaceAll('`', '')})` : ''}${v.secret ? ` [or ${fileVariant(name)}]` : ''}`)
    .join('\n');
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
