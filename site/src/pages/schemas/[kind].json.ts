import type { APIRoute, GetStaticPaths } from 'astro';
import { jsonSchemaFor, schemaKinds, type DocumentKind } from '@memlint/core';

export const getStaticPaths: GetStaticPaths = () => [
  ...schemaKinds('apm-stage').map((kind) => ({ params: { kind }, props: { dialect: 'apm-stage' as const } })),
  ...schemaKinds('aops').map((kind) => ({ params: { kind }, props: { dialect: 'aops' as const } })),
];

export const GET: APIRoute = ({ params, props }) =>
  new Response(`${JSON.stringify(jsonSchemaFor(params.kind as DocumentKind, props.dialect), null, 2)}\n`, {
    headers: { 'Content-Type': 'application/schema+json' },
  });
