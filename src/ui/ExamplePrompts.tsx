// The loaded model's example prompts under the prompt box: one click puts one in the prompt (a model of a narrow
// world, like the built-in shapes model, shows what it understands; models without examplePrompts show nothing).
import { useStudio } from '../app/store';

const NONE: string[] = [];

export function ExamplePrompts() {
  const examples = useStudio((s) => s.model?.examplePrompts ?? NONE);
  const update = useStudio((s) => s.updateSettings);
  if (examples.length === 0) return null;
  return (
    <div className="example-prompts" data-testid="example-prompts">
      <span className="hint">Try:</span>
      {examples.map((prompt) => (
        <button type="button" key={prompt} className="chip" data-testid="example-prompt" onClick={() => update({ prompt })}>
          {prompt}
        </button>
      ))}
    </div>
  );
}
