import { fromMarkdown } from 'mdast-util-from-markdown';
const units: Record<string,(n:number)=>string> = {
  mixed: (n) => `## Section ${n}\n\n**Field ${n}:** value ${n}\n\n- item with \`code\` and *emph* ${n}\n- [link](http://x/${n})\n\n\`\`\`js\nconst a = ${n};\n\`\`\`\n\n`,
  list2: (n) => `- a ${n}\n- b ${n}\n\n`,
  list2head: (n) => `## S ${n}\n\n- a ${n}\n- b ${n}\n\n`,
  listpara: (n) => `- a ${n}\n\npara\n\n`,
  list1: (n) => `- a ${n}\n\npara ${n}\n\n`,
};
for (const [k, unit] of Object.entries(units)) {
  const out: string[] = [];
  for (const size of [100_000, 200_000, 400_000]) {
    let big=''; let n=0; while (big.length < size) { big += unit(n); n++; }
    const t = performance.now(); fromMarkdown(big); out.push(`${size/1000}k:${(performance.now()-t).toFixed(0)}`);
  }
  console.log(k, out.join(' '));
}
