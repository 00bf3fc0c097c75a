import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'adapters/express': 'src/adapters/express.ts',
    'adapters/koa': 'src/adapters/koa.ts',
    'adapters/fastify': 'src/adapters/fastify.ts',
    'adapters/nest': 'src/adapters/nest.ts',
    'adapters/node': 'src/adapters/node.ts',
    'cli/main': 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
