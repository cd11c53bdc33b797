import { registerProblemTitles } from '../../platform/problem-titles.ts';

export function registerIdentityTitles(): void {
  registerProblemTitles({
    invalid_credentials: { zh: '邮箱或密码错误', en: 'Wrong email or password' },
    invalid_uscc: { zh: '统一社会信用代码无效', en: 'Invalid unified social credit code' },
    uscc_taken: { zh: '统一社会信用代码已注册', en: 'Unified social credit code already registered' },
    email_taken: { zh: '邮箱已注册', en: 'Email already registered' },
    weak_password: { zh: '密码强度不足', en: 'Password too weak' },
    wrong_password: { zh: '当前密码不正确', en: 'Wrong current password' },
    invalid_reset_token: { zh: '重置链接无效', en: 'Invalid reset token' },
    reason_required: { zh: '需要说明理由', en: 'Reason required' },
    illegal_transition: { zh: '当前状态不允许此操作', en: 'Not allowed in the current state' },
    token_cannot_mint_token: { zh: '令牌不能创建令牌', en: 'Tokens cannot create tokens' },
    csrf_rejected: { zh: '跨站请求被拒绝', en: 'Cross-site request refused' },
  });
}
