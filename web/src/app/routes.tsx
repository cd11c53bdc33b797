import { lazy, type ComponentType } from 'react';
import { Route, Routes } from 'react-router';
import { PROVIDER_ROLES } from '../api/types.ts';
import { LoginPage } from '../features/identity/LoginPage.tsx';
import { RegistrationPage } from '../features/identity/RegistrationPage.tsx';
import { HomePage } from '../features/register/HomePage.tsx';
import { ProductPage } from '../features/register/ProductPage.tsx';
import { SearchPage } from '../features/register/SearchPage.tsx';
import { SelfCheckPage } from '../features/risk/SelfCheckPage.tsx';
import { TransparencyPage } from '../features/transparency/TransparencyPage.tsx';
import { Layout } from './Layout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RequireRole } from './RequireRole.tsx';

/** Staff and provider pages load on demand, so the public register stays light (initial JS budget). */
function lazyPage<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

const ProviderDashboardPage = lazyPage(
  () => import('../features/products/ProviderDashboardPage.tsx'),
  'ProviderDashboardPage',
);
const ProductFormPage = lazyPage(() => import('../features/products/ProductFormPage.tsx'), 'ProductFormPage');
const ProductDetailPage = lazyPage(() => import('../features/products/ProductDetailPage.tsx'), 'ProductDetailPage');
const FilingPage = lazyPage(() => import('../features/filings/FilingPage.tsx'), 'FilingPage');
const ReviewQueuePage = lazyPage(() => import('../features/review/ReviewQueuePage.tsx'), 'ReviewQueuePage');
const ReviewStatsPage = lazyPage(() => import('../features/review/ReviewStatsPage.tsx'), 'ReviewStatsPage');
const OrganizationsPage = lazyPage(() => import('../features/identity/OrganizationsPage.tsx'), 'OrganizationsPage');
const UsersPage = lazyPage(() => import('../features/identity/UsersPage.tsx'), 'UsersPage');
const CataloguePage = lazyPage(() => import('../features/catalogue/CataloguePage.tsx'), 'CataloguePage');
const CalendarPage = lazyPage(() => import('../features/calendar/CalendarPage.tsx'), 'CalendarPage');
const AuditPage = lazyPage(() => import('../features/audit/AuditPage.tsx'), 'AuditPage');

const REVIEW_ROLES = ['reviewer', 'regulator_admin'] as const;
const ADMIN_ROLES = ['regulator_admin'] as const;
const FILING_ROLES = [...PROVIDER_ROLES, ...REVIEW_ROLES];

function guarded(roles: readonly string[], Page: ComponentType) {
  return (
    <RequireRole roles={roles}>
      <Page />
    </RequireRole>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        {/* Public: the register, the self-check and the log need no account. */}
        <Route index element={<HomePage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="products/:id" element={<ProductPage />} />
        <Route path="self-check" element={<SelfCheckPage />} />
        <Route path="transparency" element={<TransparencyPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="register" element={<RegistrationPage />} />

        {/* Providers (organisation members). */}
        <Route path="provider" element={guarded(PROVIDER_ROLES, ProviderDashboardPage)} />
        <Route path="provider/products/new" element={guarded(PROVIDER_ROLES, ProductFormPage)} />
        <Route path="provider/products/:id" element={guarded(PROVIDER_ROLES, ProductDetailPage)} />
        <Route path="provider/products/:id/edit" element={guarded(PROVIDER_ROLES, ProductFormPage)} />
        <Route path="filings/:id" element={guarded(FILING_ROLES, FilingPage)} />

        {/* Regulator: review and administration. */}
        <Route path="review" element={guarded(REVIEW_ROLES, ReviewQueuePage)} />
        <Route path="review/stats" element={guarded(REVIEW_ROLES, ReviewStatsPage)} />
        <Route path="admin/organizations" element={guarded(ADMIN_ROLES, OrganizationsPage)} />
        <Route path="admin/users" element={guarded(ADMIN_ROLES, UsersPage)} />
        <Route path="admin/catalogue" element={guarded(ADMIN_ROLES, CataloguePage)} />
        <Route path="admin/calendar" element={guarded(ADMIN_ROLES, CalendarPage)} />
        <Route path="admin/audit" element={guarded(ADMIN_ROLES, AuditPage)} />

        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
