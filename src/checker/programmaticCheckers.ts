// Checkers that need no model files, by checker-model id: the worker builds them on load (the shapes checker can join here).
import type { Checker } from './checkerTypes';
import { RuleChecker } from './rules/ruleChecker';

export const PROGRAMMATIC_CHECKERS: Record<string, () => Checker> = {
  rules: () => new RuleChecker(),
};
