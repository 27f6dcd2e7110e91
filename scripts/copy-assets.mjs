// Copies what the compiled code reads at run time next to it: the Lua scripts of src/store/lua.
// (content/ stays at the package root; dist/content/loader.js resolves ../../content.)
import { cpSync } from 'node:fs';

cpSync('src/store/lua', 'dist/store/lua', { recursive: true, filter: (p) => !p.endsWith('.ts') });
