/** User-facing Vietnamese texts of the Q&A feature (no legal numbers here, ever). */
import type { SmalltalkKind } from './intents';

export const QA_TEXT = {
  unsure:
    'Mình chưa chắc chắn đã hiểu đúng câu hỏi của bạn. Bạn có thể chọn một câu hỏi gần nhất bên dưới, hoặc hỏi lại cụ thể hơn (ví dụ nêu rõ chuyện lương, hợp đồng, nghỉ phép, BHXH, thai sản, công đoàn…). Nếu cần người thật hỗ trợ, hãy gõ "Gặp cán bộ" để được cán bộ công đoàn tư vấn trực tiếp.',
  unsureNoMatch:
    'Mình chưa chắc chắn hiểu câu hỏi này và chưa tìm thấy thông tin phù hợp. Bạn thử hỏi lại ngắn gọn hơn, ví dụ về tiền lương, hợp đồng, nghỉ phép, BHXH, thai sản hay quyền lợi đoàn viên. Hoặc gõ "Gặp cán bộ" để được cán bộ công đoàn hỗ trợ trực tiếp.',
  offtopic:
    'Mình là trợ lý hỏi đáp của Công đoàn nên chỉ trả lời được các câu hỏi về lao động, tiền lương, BHXH, thai sản, bảo hiểm thất nghiệp và quyền lợi đoàn viên thôi ạ. Bạn có thể thử một câu hỏi bên dưới, hoặc gõ "Gặp cán bộ" nếu cần cán bộ công đoàn hỗ trợ.',
  handoff:
    'Để được cán bộ công đoàn hỗ trợ trực tiếp, bạn bấm nút "Gặp cán bộ" bên dưới và mô tả ngắn gọn trường hợp của mình (nơi làm việc, sự việc, thời gian). Cán bộ sẽ phản hồi sớm nhất có thể.',
  personalHandoff:
    '👤 Trên đây là quy định chung. Để cán bộ công đoàn xem xét trường hợp cụ thể của bạn và hỗ trợ trực tiếp, hãy bấm hoặc gõ "Gặp cán bộ".',
  smalltalk: {
    greeting:
      'Xin chào bạn 👋 Mình là trợ lý hỏi đáp của Công đoàn. Bạn có thể hỏi về tiền lương, hợp đồng, nghỉ phép, BHXH, thai sản, bảo hiểm thất nghiệp hay quyền lợi đoàn viên — ví dụ: "Lương tối thiểu vùng hiện nay là bao nhiêu?". Cần gặp người thật, bạn gõ "Gặp cán bộ" nhé.',
    thanks: 'Không có gì ạ 😊 Nếu còn thắc mắc về quyền lợi lao động hay công đoàn, bạn cứ nhắn mình nhé.',
    bye: 'Chào bạn, chúc bạn một ngày làm việc vui vẻ! Cần gì cứ nhắn mình nhé.',
    identity:
      'Mình là trợ lý tự động của Công đoàn trên Zalo. Mình trả lời nhanh các câu hỏi về luật lao động, BHXH và chính sách công đoàn, kèm căn cứ pháp lý. Với trường hợp cụ thể, bạn gõ "Gặp cán bộ" để được cán bộ công đoàn hỗ trợ.',
    ack: 'Dạ vâng ạ. Bạn cần hỏi thêm gì cứ nhắn mình nhé!',
  } satisfies Record<SmalltalkKind, string>,
} as const;
