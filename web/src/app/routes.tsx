import { lazy, type ComponentType } from 'react';
import { Route, Routes } from 'react-router';
import { ORGANIZATION_ROLES, ROLES } from '../api/types.ts';
import { HomePage } from '../features/register/home-page.tsx';
import { SearchPage } from '../features/register/search-page.tsx';
import { Layout } from './layout.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { RequireRole } from './require-role.tsx';

/**
 * Every page but the register's first screen (home and search) loads on demand, so a first
 * visit downloads only what that screen draws: the initial JavaScript has a budget checked at
 * build time (web/build-plugins.ts, 150 KB brotli).
 */
function lazyPage<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

const ProductPage = lazyPage(() => import('../features/register/product-page.tsx'), 'ProductPage');
const SelfCheckPage = lazyPage(() => import('../features/risk/self-check-page.tsx'), 'SelfCheckPage');
const TransparencyPage = lazyPage(() => import('../features/transparency/transparency-page.tsx'), 'TransparencyPage');
const LoginPage = lazyPage(() => import('../features/identity/login-page.tsx'), 'LoginPage');
const RegistrationPage = lazyPage(() => import('../features/identity/registration-page.tsx'), 'RegistrationPage');
const ProviderDashboardPage = lazyPage(
  () => import('../features/products/provider-dashboard-page.tsx'),
  'ProviderDashboardPage',
);
const ProductFormPage = lazyPage(() => import('../features/products/product-form-page.tsx'), 'ProductFormPage');
const ProductDetailPage = lazyPage(() => import('../features/products/product-detail-page.tsx'), 'ProductDetailPage');
const FilingPage = lazyPage(() => import('../features/filings/filing-page.tsx'), 'FilingPage');
const ReviewQueuePage = lazyPage(() => import('../features/review/review-queue-page.tsx'), 'ReviewQueuePage');
const ReviewStatsPage = lazyPage(() => import('../features/review/review-stats-page.tsx'), 'ReviewStatsPage');
const OrganizationsPage = lazyPage(() => import('../features/identity/organizations-page.tsx'), 'OrganizationsPage');
const UsersPage = lazyPage(() => import('../features/identity/users-page.tsx'), 'UsersPage');
const CataloguePage = lazyPage(() => import('../features/catalogue/catalogue-page.tsx'), 'CataloguePage');
const CalendarPage = lazyPage(() => import('../features/calendar/calendar-page.tsx'), 'CalendarPage');
const AuditPage = lazyPage(() => import('../features/audit/audit-page.tsx'), 'AuditPage');
const AccountPage = lazyPage(() => import('../features/account/account-page.tsx'), 'AccountPage');
const ForgotPasswordPage = lazyPage(() => import('../features/account/forgot-password-page.tsx'), 'ForgotPasswordPage');
const EthicsCasesPage = lazyPage(() => import('../features/ethics/ethics-cases-page.tsx'), 'EthicsCasesPage');
const EthicsCasePage = lazyPage(() => import('../features/ethics/ethics-case-page.tsx'), 'EthicsCasePage');
const PublicOpinionsPage = lazyPage(() => import('../features/ethics/public-opinions-page.tsx'), 'PublicOpinionsPage');
const ResetPasswordPage = lazyPage(() => import('../features/account/reset-password-page.tsx'), 'ResetPasswordPage');

const REVIEW_ROLES = ['reviewer', 'regulator_admin'] as const;
// Deciding filings is the reviewer's alone (separation of duties): an administrator creates
// reviewers and reads the statistics, but does not work the queue.
const REVIEWER_ONLY = ['reviewer'] as const;
const ADMIN_ROLES = ['regulator_admin'] as const;
const ETHICS_ROLES = ['ethics_member', 'ethics_secretary', ...REVIEW_ROLES] as const;
// The committee reads the filing it gives an opinion on (its documents, read-only).
const FILING_ROLES = [...ORGANIZATION_ROLES, ...REVIEW_ROLES, 'ethics_member', 'ethics_secretary'];

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
        <Route path="ethics-opinions" element={<PublicOpinionsPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="register" element={<RegistrationPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="account" element={guarded(ROLES, AccountPage)} />

        {/* Providers (organisation members). */}
        <Route path="provider" element={guarded(ORGANIZATION_ROLES, ProviderDashboardPage)} />
        <Route path="provider/products/new" element={guarded(ORGANIZATION_ROLES, ProductFormPage)} />
        <Route path="provider/products/:id" element={guarded(ORGANIZATION_ROLES, ProductDetailPage)} />
        <Route path="provider/products/:id/edit" element={guarded(ORGANIZATION_ROLES, ProductFormPage)} />
        <Route path="filings/:id" element={guarded(FILING_ROLES, FilingPage)} />

        {/* Regulator: review and administration. */}
        <Route path="review" element={guarded(REVIEWER_ONLY, ReviewQueuePage)} />
        <Route path="review/stats" element={guarded(REVIEW_ROLES, ReviewStatsPage)} />
        <Route path="ethics" element={guarded(ETHICS_ROLES, EthicsCasesPage)} />
        <Route path="ethics/cases/:id" element={guarded(ETHICS_ROLES, EthicsCasePage)} />
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
