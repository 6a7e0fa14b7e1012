import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../tools/vitest.shared.ts';

export default mergeConfig(shared, defineConfig({}));
