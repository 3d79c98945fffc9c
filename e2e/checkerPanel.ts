// Page object for the checker panel: what a person does with it, expressed once for the checker specs.
import { expect, type Locator, type Page } from '@playwright/test';

export class CheckerPanel {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    const panel = this.page.getByTestId('checker-panel');
    if (!(await panel.evaluate((d: HTMLDetailsElement) => d.open))) await this.page.getByTestId('checker-toggle').click();
    await expect(this.page.getByTestId('checker-model')).toBeVisible();
  }

  async chooseModel(id: 'rules' | 'tiny-smolvlm-random' | 'smolvlm-256m-instruct'): Promise<void> {
    await this.page.getByTestId('checker-model').selectOption(id);
  }

  installState(): Locator {
    return this.page.getByTestId('checker-install-state');
  }

  questionInputs(): Locator {
    return this.page.getByTestId('question-input');
  }

  async setQuestions(texts: string[]): Promise<void> {
    while ((await this.page.getByTestId('question-remove').count()) > 0) await this.page.getByTestId('question-remove').first().click();
    for (const text of texts) {
      await this.page.getByTestId('question-add-input').fill(text);
      await this.page.getByTestId('question-add').click();
    }
    await expect(this.questionInputs()).toHaveCount(texts.length);
  }

  /** Scores the current image and returns each question's P(Yes) and evidence, read from the score rows. */
  async score(): Promise<
    { question: string; pYes: number; logitYes: number; logitNo: number; yesId: string; noId: string; pass: boolean }[]
  > {
    const scores = this.page.getByTestId('checker-scores');
    const run = (await scores.count()) > 0 ? Number(await scores.getAttribute('data-run')) : 0;
    await this.page.getByTestId('checker-score').click();
    await expect(scores).toHaveAttribute('data-run', String(run + 1), { timeout: 120_000 });
    await expect(this.page.getByTestId('checker-phase')).toHaveAttribute('data-phase', 'idle');
    await expect(this.page.getByTestId('checker-error')).toHaveCount(0);
    return this.page.getByTestId('score-row').evaluateAll((rows) =>
      rows.map((r) => {
        const d = (r as HTMLElement).dataset;
        return {
          question: d.question!,
          pYes: Number(d.pYes),
          logitYes: Number(d.logitYes),
          logitNo: Number(d.logitNo),
          yesId: d.yesId!,
          noId: d.noId!,
          pass: d.pass === 'true',
        };
      }),
    );
  }

  async overall(): Promise<number> {
    return Number(await this.page.getByTestId('overall-score').getAttribute('data-overall'));
  }

  rounds(): Locator {
    return this.page.getByTestId('loop-round');
  }

  round(index: number): Locator {
    return this.page.locator(`[data-testid="loop-round"][data-index="${index}"]`);
  }

  async roundScore(index: number, question: string): Promise<number> {
    return Number(await this.round(index).locator(`[data-testid="round-score"][data-question="${question}"]`).getAttribute('data-p-yes'));
  }

  async runLoop(rounds: number): Promise<void> {
    await this.page.getByTestId('loop-rounds-input').fill(String(rounds));
    await this.page.getByTestId('loop-run').click();
    await expect(this.page.getByTestId('loop-outcome')).toBeVisible({ timeout: 180_000 });
  }
}
