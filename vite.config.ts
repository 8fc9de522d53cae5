import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// base './': the built site uses relative URLs, so dist/ works from any sub-path.
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { target: 'es2022', sourcemap: true },
});
