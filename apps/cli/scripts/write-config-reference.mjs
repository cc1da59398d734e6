#!/usr/bin/env node
// `npm run docs:config`: regenerates README.md's configuration reference from the declarations (built first).
import { readFileSync, writeFileSync } from 'node:fs';
import { withCurrentReference } from '../dist/readme-reference.js';

const path = new URL('../../../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withCurrentReference(before);
writeFileSync(path, after);
console.log(before === after ? 'README.md: the configuration reference is up to date' : 'README.md: configuration reference regenerated');
