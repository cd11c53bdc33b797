import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { etagOf } from '../../platform/http.ts';
import { contextOf, preconditionsOf } from '../../platform/request-context.ts';
import {
  CreateProductBody,
  Product,
  ProductIdParams,
  ProductListQuery,
  ProductPage,
  UpdateProductBody,
} from './schemas.ts';
import { listProductsFor, readProduct, registerProduct, updateProductDetails } from './service.ts';

export async function productRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/products',
    {
      config: { action: 'products.create' },
      schema: {
        tags: ['products'],
        summary: 'Register an AI product (classified and risk-graded on the way in)',
        description:
          'Body `version` is the software release; the response returns it as `productVersion`, and `version` is the revision used for ETag / If-Match.',
        body: CreateProductBody,
        response: { 201: Product },
      },
    },
    async (request, reply) => {
      const { version, ...rest } = request.body;
      const product = await registerProduct(deps, contextOf(request), { ...rest, productVersion: version });
      return reply
        .code(201)
        .header('etag', etagOf(product.version))
        .header('location', `/api/v1/products/${product.id}`)
        .send(product);
    },
  );

  app.get(
    '/api/v1/products',
    {
      config: { action: 'products.list' },
      schema: {
        tags: ['products'],
        summary: "Own organisation's products (regulator staff: all, or ?organizationId=), newest first",
        querystring: ProductListQuery,
        response: { 200: ProductPage },
      },
    },
    async (request) => listProductsFor(deps, contextOf(request), request.query),
  );

  app.get(
    '/api/v1/products/:id',
    {
      config: { action: 'products.read' },
      schema: {
        tags: ['products'],
        summary: 'One product (owning organisation and regulator staff)',
        params: ProductIdParams,
        response: { 200: Product },
      },
    },
    async (request, reply) => {
      const product = await readProduct(deps, contextOf(request), { id: request.params.id });
      return reply.header('etag', etagOf(product.version)).send(product);
    },
  );

  app.patch(
    '/api/v1/products/:id',
    {
      config: { action: 'products.update' },
      schema: {
        tags: ['products'],
        summary:
          'Change a product; new risk answers are graded again (a risen tier after a decision → reassessment_required)',
        description:
          'Optional If-Match with the ETag; a stale one → 412. `version` in the body is the software release.',
        params: ProductIdParams,
        body: UpdateProductBody,
        response: { 200: Product },
      },
    },
    async (request, reply) => {
      const { version, ...rest } = request.body;
      const product = await updateProductDetails(deps, contextOf(request), {
        id: request.params.id,
        changes: { ...rest, productVersion: version },
        ifMatch: preconditionsOf(request).ifMatch,
      });
      return reply.header('etag', etagOf(product.version)).send(product);
    },
  );
}
