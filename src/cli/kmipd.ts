#!/usr/bin/env node
// The kmipd command's entry point (package.json "bin"): runs main and exits with its code.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
